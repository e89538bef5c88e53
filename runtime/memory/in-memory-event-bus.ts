/**
 * InMemoryEventBus: the EventBus contract without a server, for tests, demos
 * and single-process use. Same semantics as the Redis bus: streams with
 * `<ms>-<seq>` entry ids, consumer groups with pending lists and delivery
 * counts, load balancing, retries with backoff, DLQ with replay, retention
 * that spares unacked entries, realtime channels. Nothing survives the process.
 */
import type { Registry } from 'prom-client';
import { didYouMean } from '../../schema/closest-name.js';
import type {
  BatchItem,
  BusInspection,
  BusStats,
  CloseOptions,
  DeadLetterQueue,
  Envelope,
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
} from '../bus.js';
import type { Catalog, CatalogGroup } from '../catalog.js';
import { CatalogMismatchError, ClosedError, ValidationError } from '../errors.js';
import {
  channelName,
  channelSubscription,
  encodeRealtimeMessage,
  globToRegExp,
} from '../internal/channels.js';
import {
  createEnvelope,
  encodeEnvelope,
  entryWithinBytes,
  MAX_ENTRY_BYTES,
  recordToFields,
  unknownType,
} from '../internal/envelope.js';
import { checkHandlers } from '../internal/handler-table.js';
import { noopLogger } from '../internal/logger.js';
import { type BusMetrics, createMetrics } from '../internal/metrics.js';
import { StatsCounter } from '../internal/stats.js';
import { resolveSubscribeOptions } from '../internal/subscribe-options.js';
import { createValidators, type PayloadCheck, type Validators } from '../internal/validate.js';
import { type Clock, systemClock } from './clock.js';
import { frozenJsonCopy } from './frozen-data.js';
import type { GroupState } from './group-state.js';
import { type ConsumerDeps, MemoryConsumer } from './memory-consumer.js';
import { MemoryRealtime } from './memory-realtime.js';
import { MemorySubscription } from './memory-subscription.js';
import { StreamState } from './stream-state.js';

/** Options of {@link InMemoryEventBus}. */
export interface InMemoryEventBusOptions {
  readonly catalog: Catalog;
  /** Time and timers (retries, claims, close timeouts). @default the system clock */
  readonly clock?: Clock;
  /** @default a logger that drops everything */
  readonly logger?: Logger;
  /** prom-client registry to report metrics to. @default none (no metrics) */
  readonly registry?: Registry;
  /** Random numbers in [0, 1) for backoff jitter. @default Math.random */
  readonly random?: () => number;
  /** Largest encoded event accepted by publish and decoded by consumers. @default MAX_ENTRY_BYTES (1 MiB) */
  readonly maxEntryBytes?: number;
}

/** Where events of one type go (see `#route`). */
interface Route {
  readonly check: PayloadCheck;
  readonly stream: StreamState | undefined;
  readonly channel: Catalog['channels'][string] | undefined;
}

interface Prepared {
  readonly envelope: Envelope;
  /** The encoded entry, when computed (an oversized or non-plain payload, a realtime event). */
  readonly fields: string[] | undefined;
  /** `envelope`, frozen with a frozen copy of the data, when it is stored as an object (see LogEntry). */
  readonly stored: Envelope | undefined;
  /** The clock reading the envelope was stamped with (the entry id gets it too). */
  readonly now: number;
  readonly stream: StreamState | undefined;
  readonly channel: Catalog['channels'][string] | undefined;
}

/**
 * Upper bound of the UTF-8 bytes of the entry `encodeEnvelope(envelope)`
 * makes, given a bound of its data JSON's bytes.
 */
function envelopeMaxBytes(envelope: Envelope, dataBytes: number): number {
  // Names and fixed values: specversion 1.0 id source type time datacontenttype application/json data.
  let chars =
    65 + envelope.id.length + envelope.source.length + envelope.type.length + envelope.time.length;
  if (envelope.subject !== undefined) chars += 7 + envelope.subject.length;
  if (envelope.correlationid !== undefined) chars += 13 + envelope.correlationid.length;
  if (envelope.causationid !== undefined) chars += 11 + envelope.causationid.length;
  if (envelope.traceparent !== undefined) chars += 11 + envelope.traceparent.length;
  if (envelope.replayfor !== undefined) chars += 9 + envelope.replayfor.length;
  return chars * 3 + dataBytes;
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
  readonly #metrics: BusMetrics;
  readonly #validators: Validators;
  readonly #maxEntryBytes: number;
  readonly #stats = new StatsCounter();
  readonly #streams = new Map<string, StreamState>();
  readonly #realtime: MemoryRealtime;
  readonly #subscriptions = new Set<MemorySubscription>();
  readonly #routes = new Map<string, Route>();
  readonly #deps: ConsumerDeps;
  #closing = false;
  #closed = false;

  constructor(options: InMemoryEventBusOptions) {
    this.catalog = options.catalog;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? noopLogger;
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
      deadLetter: (state, pending, reason, error, attempts) =>
        this.#stream(state.group.stream).deadLetter(state, pending, reason, error, attempts),
    };
    const streamDeps = {
      clock: this.#clock,
      stats: this.#stats,
      metrics: this.#metrics,
      logger: this.#logger,
    };
    for (const name of Object.keys(this.catalog.streams).sort()) {
      this.#streams.set(name, new StreamState(this.catalog.streams[name]!, streamDeps));
    }
  }

  async publish(type: string, data: unknown, meta?: PublishMeta): Promise<Published> {
    return this.#commit(this.#prepare(type, data, meta));
  }

  async publishBatch(items: readonly BatchItem[]): Promise<Published[]> {
    const prepared = items.map((item) => this.#prepare(item.type, item.data, item.meta));
    return prepared.map((p) => this.#commit(p));
  }

  subscribe(group: string, handlers: HandlerMap, options?: SubscribeOptions): Subscription {
    this.#assertOpen('subscribe', this.#closing);
    const groups = checkHandlers(this.catalog, group, handlers);
    const resolved = resolveSubscribeOptions(options);
    const subscription = new MemorySubscription(group, resolved.consumer, this.#clock, (s) =>
      this.#subscriptions.delete(s),
    );
    const consumers = groups.map((g) => {
      const state = this.#ensureGroup(g);
      return new MemoryConsumer(
        state,
        resolved.consumer,
        handlers,
        resolved,
        subscription.signal,
        this.#deps,
      );
    });
    subscription.start(consumers);
    this.#subscriptions.add(subscription);
    for (const consumer of consumers) consumer.state.attach(consumer);
    return subscription;
  }

  async onRealtime(
    channel: string,
    params: RealtimeParams,
    handler: RealtimeHandler,
  ): Promise<Unsubscribe> {
    this.#assertOpen('onRealtime', this.#closing);
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

  async bootstrap(): Promise<void> {
    for (const stream of this.#streams.values()) {
      for (const group of Object.values(stream.def.groups)) this.#ensureGroup(group);
    }
  }

  dlq(stream: string): DeadLetterQueue {
    return this.#stream(stream).dlqApi;
  }

  stats(): BusStats {
    return this.#stats.snapshot();
  }

  async inspect(): Promise<BusInspection> {
    return { streams: [...this.#streams.values()].map((s) => s.inspect()) };
  }

  /**
   * Stores `fields` as an entry of `stream` exactly as given, bypassing
   * validation and encoding (for tests, migrations and tools); retention
   * applies. Returns the entry id.
   */
  async appendRaw(stream: string, fields: { readonly [field: string]: string }): Promise<string> {
    this.#assertOpen('appendRaw', this.#closed);
    return this.#stream(stream).append(recordToFields(fields)).id;
  }

  /**
   * Closes every subscription (see `Subscription.close`; the timeout runs on
   * the bus clock), drops realtime subscribers and timers. Publishing stays
   * possible until the subscriptions are closed, so handlers may publish
   * follow-up events.
   */
  async close(options?: CloseOptions): Promise<void> {
    if (this.#closed) return;
    this.#closing = true;
    await Promise.all([...this.#subscriptions].map((s) => s.close(options)));
    this.#realtime.clear();
    for (const stream of this.#streams.values()) stream.stop();
    this.#closed = true;
  }

  #assertOpen(operation: string, closed: boolean): void {
    if (closed) {
      throw new ClosedError(`${operation} on a closed InMemoryEventBus; create a new bus`);
    }
  }

  #stream(name: string): StreamState {
    const stream = this.#streams.get(name);
    if (stream === undefined) {
      throw new CatalogMismatchError(
        `unknown stream "${name}" in catalogue "${this.catalog.namespace}"${didYouMean(name, this.#streams.keys())}; use a stream name the catalogue lists`,
      );
    }
    return stream;
  }

  #ensureGroup(group: CatalogGroup): GroupState {
    return this.#stream(group.stream).ensureGroup(group);
  }

  /** Where events of `type` go, looked up once per type. */
  #route(type: string): Route {
    let route = this.#routes.get(type);
    if (route === undefined) {
      const event = this.catalog.events[type];
      if (event === undefined) throw unknownType(this.catalog, type);
      route = {
        check: this.#validators.forPublish(type),
        stream: event.stream === undefined ? undefined : this.#stream(event.stream),
        channel: event.channel === undefined ? undefined : this.catalog.channels[event.channel],
      };
      this.#routes.set(type, route);
    }
    return route;
  }

  #prepare(type: string, data: unknown, meta: PublishMeta | undefined): Prepared {
    this.#assertOpen('publish', this.#closed);
    const { check, stream, channel } = this.#route(type);
    const issues = check(data);
    if (issues !== null) {
      this.#stats.rejected++;
      this.#metrics.published(type, 'rejected');
      throw new ValidationError(type, issues);
    }
    const now = this.#clock.now();
    const envelope = createEnvelope(this.catalog, type, data, meta, now);
    // Plain JSON data is stored and delivered as a frozen copy (no JSON round trip, no
    // consume-side check); anything else is encoded and decoded as on Redis.
    const frozen = frozenJsonCopy(data);
    let stored: Envelope | undefined;
    let fields: string[] | undefined;
    if (frozen !== undefined) {
      (envelope as { data: unknown }).data = frozen.value;
      stored = Object.freeze(envelope);
      if (envelopeMaxBytes(envelope, frozen.maxJsonBytes) > this.#maxEntryBytes) {
        fields = encodeEnvelope(envelope);
      }
    } else {
      fields = encodeEnvelope(envelope);
    }
    if (fields !== undefined && !entryWithinBytes(fields, this.#maxEntryBytes)) {
      this.#stats.rejected++;
      this.#metrics.published(type, 'rejected');
      throw new ValidationError(type, [
        {
          path: '',
          message: `encoded event is larger than maxEntryBytes (${this.#maxEntryBytes} bytes); publish a reference to the data, or raise maxEntryBytes on every bus`,
        },
      ]);
    }
    // The realtime message needs the data JSON.
    if (channel !== undefined) fields ??= encodeEnvelope(envelope);
    return { envelope, fields, stored, now, stream, channel };
  }

  #commit({ envelope, fields, stored, now, stream, channel }: Prepared): Published {
    let entryId: string | undefined;
    if (stream !== undefined) entryId = stream.append(fields, now, stored).id;
    let concrete: string | undefined;
    if (channel !== undefined) {
      concrete = channelName(channel, envelope.data);
      // fields[13] is the data JSON (see encodeEnvelope): the payload is stringified once.
      this.#realtime.publish(concrete, encodeRealtimeMessage(envelope, fields![13]));
      this.#stats.realtimeSent++;
      this.#metrics.realtime(channel.name, 'sent');
    }
    this.#stats.published++;
    this.#metrics.published(envelope.type, 'ok');
    const published: { -readonly [K in keyof Published]: Published[K] } = {
      id: envelope.id,
      type: envelope.type,
    };
    if (entryId !== undefined) {
      published.entryId = entryId;
      published.stream = stream!.name;
    }
    if (concrete !== undefined) published.channel = concrete;
    return published;
  }
}
