/**
 * InMemoryEventBus: the EventBus contract without a server, for tests, demos
 * and single-process use. Same semantics as the Redis bus: streams with
 * `<ms>-<seq>` entry ids, consumer groups with pending lists and delivery
 * counts, load balancing, retries with backoff, DLQ with replay, retention
 * that spares unacked entries, realtime channels. Nothing survives the process.
 */
import { didYouMean } from '../../schema/closest-name.js';
import type {
  BatchItem,
  BootstrapReport,
  BusHealth,
  BusInspection,
  BusMetricsOptions,
  BusStats,
  CloseOptions,
  DeadLetterQueue,
  EventBus,
  HandlerMap,
  Logger,
  Published,
  PublishMeta,
  RealtimeHandler,
  RealtimeParams,
  SubscribeOptions,
  Subscription,
  Unsubscribe,
  WaitOptions,
} from '../bus.js';
import type { Catalog } from '../catalog.js';
import { CatalogMismatchError, type SchemabusError } from '../errors.js';
import { gateFor } from '../internal/breaker-gate.js';
import { busHealth } from '../internal/bus-health.js';
import { channelSubscription, globToRegExp } from '../internal/channels.js';
import { closedError, guardDeadLetterQueue } from '../internal/closed-guard.js';
import { MAX_ENTRY_BYTES } from '../internal/entry-codec.js';
import { recordToFields } from '../internal/entry-fields.js';
import { checkHandlers } from '../internal/handler-table.js';
import { Listeners } from '../internal/listeners.js';
import { logSubscription } from '../internal/log-fields.js';
import { noopLogger } from '../internal/logger.js';
import { type BusMetrics, createMetrics } from '../internal/metrics.js';
import { type MetricsRefresher, startBusRefresher } from '../internal/metrics-refresher.js';
import { combineDeadLetterQueues } from '../internal/partition-dead-letters.js';
import { combineBootstraps, combineInspections } from '../internal/partition-reports.js';
import { partitionForFields, partitionKeys } from '../internal/partitions.js';
import { StatsCounter } from '../internal/stats.js';
import { resolveSubscribeOptions } from '../internal/subscribe-options.js';
import { createValidators, type Validators } from '../internal/validate.js';
import { type Clock, systemClock } from './clock.js';
import type { GroupState } from './group-state.js';
import { type ConsumerDeps, MemoryConsumer } from './memory-consumer.js';
import { MemoryPublisher } from './memory-publisher.js';
import { MemoryRealtime } from './memory-realtime.js';
import { MemorySubscription } from './memory-subscription.js';
import { PACE_BACKLOG, PublishPacer } from './publish-pacer.js';
import { StreamState } from './stream-state.js';

const BUS = 'InMemoryEventBus';
/** Options of {@link InMemoryEventBus}. */
export interface InMemoryEventBusOptions extends BusMetricsOptions {
  readonly catalog: Catalog;
  /** Time and timers (retries, claims, close timeouts). @default the system clock */
  readonly clock?: Clock | undefined;
  /** @default a logger that drops everything */
  readonly logger?: Logger | undefined;
  /** Random numbers in [0, 1) for backoff jitter. @default Math.random */
  readonly random?: (() => number) | undefined;
  /** Largest encoded event accepted by publish and decoded by consumers. @default MAX_ENTRY_BYTES (1 MiB) */
  readonly maxEntryBytes?: number | undefined;
}

/**
 * The in-memory EventBus (see the contract in `bus.ts`). Events it publishes
 * are stored as envelopes whose data is a deep frozen copy, delivered as
 * they are to every group: payloads are read-only in handlers.
 */
export class InMemoryEventBus implements EventBus {
  readonly catalog: Catalog;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #errors: Listeners<SchemabusError>;
  readonly #metrics: BusMetrics;
  readonly #validators: Validators;
  readonly #maxEntryBytes: number;
  readonly #stats = new StatsCounter();
  /** Per stream its state, or a partitioned stream's partitions in order. */
  readonly #streams = new Map<string, readonly StreamState[]>();
  readonly #realtime: MemoryRealtime;
  readonly #subscriptions = new Set<MemorySubscription>();
  readonly #publisher: MemoryPublisher;
  readonly #pacer = new PublishPacer();
  readonly #deps: ConsumerDeps;
  readonly #metricsRefresher: MetricsRefresher | undefined;
  #closing = false;
  #closed = false;

  constructor(options: InMemoryEventBusOptions) {
    this.catalog = options.catalog;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? noopLogger;
    this.#errors = new Listeners(this.#logger, 'bus errors');
    this.#metrics = createMetrics(options.registry);
    this.#validators = createValidators(options.catalog);
    this.#maxEntryBytes = options.maxEntryBytes ?? MAX_ENTRY_BYTES;
    this.#realtime = new MemoryRealtime(
      this.#stats,
      this.#metrics,
      this.#logger,
      this.#maxEntryBytes,
    );
    this.#deps = {
      stats: this.#stats,
      metrics: this.#metrics,
      logger: this.#logger,
      validators: this.#validators,
      random: options.random ?? Math.random,
      maxEntryBytes: this.#maxEntryBytes,
      knownTypes: new Set(Object.keys(options.catalog.events)),
      deadLetter: (state, pending, reason, error, attempts) =>
        this.#streamOf(state).deadLetter(state, pending, reason, error, attempts),
    };
    const streamDeps = {
      clock: this.#clock,
      stats: this.#stats,
      metrics: this.#metrics,
      logger: this.#logger,
    };
    for (const name of Object.keys(this.catalog.streams).sort()) {
      const def = this.catalog.streams[name]!;
      this.#streams.set(
        name,
        partitionKeys(def).map((partition) => new StreamState(def, streamDeps, partition)),
      );
    }
    this.#publisher = new MemoryPublisher({
      catalog: this.catalog,
      clock: this.#clock,
      stats: this.#stats,
      metrics: this.#metrics,
      validators: this.#validators,
      realtime: this.#realtime,
      maxEntryBytes: this.#maxEntryBytes,
      stream: (name) => this.#partitions(name),
    });
    this.#metricsRefresher = startBusRefresher(
      this,
      options.registry,
      options.metricsIntervalMs,
      this.#logger,
    );
  }

  async publish(type: string, data: unknown, meta?: PublishMeta): Promise<Published> {
    if (this.#closed) throw closedError(BUS, 'publish');
    const prepared = this.#publisher.prepare(type, data, meta);
    const published = this.#publisher.commit(prepared);
    if (prepared.stream?.backlogAbove(PACE_BACKLOG)) await this.#pacer.turn();
    return published;
  }

  async publishBatch(items: readonly BatchItem[]): Promise<Published[]> {
    if (this.#closed) throw closedError(BUS, 'publishBatch');
    const prepared = items.map((item) => this.#publisher.prepare(item.type, item.data, item.meta));
    const published = prepared.map((p) => this.#publisher.commit(p));
    if (prepared.some((p) => p.stream?.backlogAbove(PACE_BACKLOG))) await this.#pacer.turn();
    return published;
  }

  subscribe(group: string, handlers: HandlerMap, options?: SubscribeOptions): Subscription {
    if (this.#closing) throw closedError(BUS, 'subscribe');
    const groups = checkHandlers(this.catalog, group, handlers);
    const resolved = resolveSubscribeOptions(options);
    const subscription = new MemorySubscription(
      group,
      resolved.consumer,
      this.#clock,
      (s) => {
        this.#subscriptions.delete(s);
        logSubscription(this.#logger, 'stopped', s, streams);
      },
      this.#logger,
    );
    const streams = groups.map((g) => g.stream);
    // One consumer per stream of the group, and per partition of a partitioned stream;
    // one circuit breaker per stream, shared by its partitions' consumers.
    const consumers = groups.flatMap((g) => {
      const gate = gateFor(g, resolved.circuitBreaker, resolved.consumer, subscription.status, {
        logger: this.#logger,
        metrics: this.#metrics,
        clock: this.#clock,
      });
      return this.#partitions(g.stream).map(
        (stream) =>
          new MemoryConsumer(
            stream.ensureGroup(g),
            resolved.consumer,
            handlers,
            resolved,
            subscription.signal,
            this.#deps,
            gate,
          ),
      );
    });
    subscription.start(consumers);
    this.#subscriptions.add(subscription);
    for (const consumer of consumers) consumer.state.attach(consumer);
    logSubscription(this.#logger, 'started', subscription, streams);
    return subscription;
  }

  async onRealtime(
    channel: string,
    params: RealtimeParams,
    handler: RealtimeHandler,
  ): Promise<Unsubscribe> {
    if (this.#closing) throw closedError(BUS, 'onRealtime');
    const def = this.catalog.channels[channel];
    if (def === undefined) {
      throw new CatalogMismatchError(
        `unknown channel "${channel}" in catalogue "${this.catalog.namespace}"${didYouMean(channel, Object.keys(this.catalog.channels))}; use a channel the catalogue lists`,
      );
    }
    const target = channelSubscription(def, params);
    let matches: (name: string) => boolean;
    if (target.exact) matches = (name) => name === target.name;
    else {
      const re = globToRegExp(target.glob);
      matches = (name) => re.test(name);
    }
    const remove = this.#realtime.subscribe(matches, channel, handler);
    return async () => remove();
  }

  /** Nothing to connect to: resolves at once (rejects with `ClosedError` once the bus is closed). */
  async waitUntilReady(_options?: WaitOptions): Promise<void> {
    if (this.#closed) throw closedError(BUS, 'waitUntilReady');
  }

  async bootstrap(): Promise<BootstrapReport> {
    if (this.#closed) throw closedError(BUS, 'bootstrap');
    return {
      streams: [...this.#streams.values()].map((parts) => {
        const def = parts[0]!.def;
        const reports = parts.map((stream) => stream.bootstrap());
        return def.partitions === undefined
          ? reports[0]!
          : combineBootstraps(def, partitionKeys(def), reports);
      }),
    };
  }

  dlq(stream: string): DeadLetterQueue {
    const parts = this.#partitions(stream);
    const state = parts[0]!;
    state.guardedDlq ??= guardDeadLetterQueue(
      parts.length === 1
        ? state.dlqApi
        : combineDeadLetterQueues(
            stream,
            parts.map((p) => p.dlqApi),
          ),
      BUS,
      () => this.#closed,
    );
    return state.guardedDlq;
  }

  stats(): BusStats {
    return this.#stats.snapshot();
  }

  async inspect(): Promise<BusInspection> {
    if (this.#closed) throw closedError(BUS, 'inspect');
    return {
      streams: [...this.#streams.values()].map((parts) => {
        const def = parts[0]!.def;
        const inspections = parts.map((s) => s.inspect());
        return def.partitions === undefined
          ? inspections[0]!
          : combineInspections(def, partitionKeys(def), inspections);
      }),
      losses: [],
    };
  }

  health(): Promise<BusHealth> {
    return busHealth({
      connections: [],
      subscriptions: [...this.#subscriptions].map((s) => s.facts()),
      down: this.#closed ? 'the bus is closed' : undefined,
      inspect: () => this.inspect(),
    });
  }

  /** Nothing goes wrong on an in-memory bus on its own: the listener is kept, never called. */
  onError(listener: (error: SchemabusError) => void): () => void {
    return this.#errors.add(listener);
  }

  /**
   * Stores `fields` as an entry of `stream` exactly as given, bypassing
   * validation and encoding (for tests, migrations and tools); retention
   * applies. Returns the entry id.
   */
  async appendRaw(stream: string, fields: { readonly [field: string]: string }): Promise<string> {
    if (this.#closed) throw closedError(BUS, 'appendRaw');
    const parts = this.#partitions(stream);
    const list = recordToFields(fields);
    return parts[partitionForFields(parts[0]!.def, list).index]!.append(list).id;
  }

  /**
   * Closes every subscription (see `Subscription.close`; the timeout runs on
   * the bus clock), drops realtime subscribers and timers. Publishing stays
   * possible until the subscriptions are closed, so handlers may publish
   * follow-up events.
   */
  async close(options?: CloseOptions): Promise<void> {
    if (this.#closed) return;
    this.#metricsRefresher?.stop();
    this.#closing = true;
    await Promise.all([...this.#subscriptions].map((s) => s.close(options)));
    this.#realtime.clear();
    for (const parts of this.#streams.values()) for (const stream of parts) stream.stop();
    this.#closed = true;
  }

  /** The state of stream `name`: one, or its partitions in order. */
  #partitions(name: string): readonly StreamState[] {
    const stream = this.#streams.get(name);
    if (stream === undefined) {
      throw new CatalogMismatchError(
        `unknown stream "${name}" in catalogue "${this.catalog.namespace}"${didYouMean(name, this.#streams.keys())}; use a stream name the catalogue lists`,
      );
    }
    return stream;
  }

  /** The stream (partition) a group state belongs to. */
  #streamOf(state: GroupState): StreamState {
    const parts = this.#partitions(state.group.stream);
    return parts.find((s) => s.groups.get(state.group.name) === state) ?? parts[0]!;
  }
}
