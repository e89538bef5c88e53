/**
 * RedisEventBus: the EventBus contract on Redis Streams and pub/sub
 * (ioredis), on one server or a Redis Cluster (every key of a stream shares
 * one hash tag, so each stream lives on one slot).
 *
 * Durability is the server's setting: "an acknowledged publish is never
 * lost" holds on one node with `appendonly yes` + `appendfsync always`;
 * `everysec` can lose about a second of writes; with replicas it is best
 * effort (replication is asynchronous), unless publishes wait for replicas
 * (`waitForReplicas`: WAIT).
 */

import type {
  BatchItem,
  BootstrapReport,
  BusHealth,
  BusInspection,
  BusStats,
  CloseOptions,
  DeadLetterQueue,
  EventBus,
  HandlerMap,
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
import type { SchemabusError } from '../errors.js';
import { busHealth } from '../internal/bus-health.js';
import { closedError, closedRejection, guardDeadLetterQueue } from '../internal/closed-guard.js';
import { MAX_ENTRY_BYTES } from '../internal/entry-codec.js';
import type { EntryFields } from '../internal/entry-fields.js';
import { checkHandlers } from '../internal/handler-table.js';
import { Listeners } from '../internal/listeners.js';
import { logSubscription } from '../internal/log-fields.js';
import { noopLogger } from '../internal/logger.js';
import { createMetrics } from '../internal/metrics.js';
import { type MetricsRefresher, startBusRefresher } from '../internal/metrics-refresher.js';
import { combineDeadLetterQueues } from '../internal/partition-dead-letters.js';
import { partitionKeys } from '../internal/partitions.js';
import { StatsCounter } from '../internal/stats.js';
import { resolveSubscribeOptions } from '../internal/subscribe-options.js';
import { SubscriptionStatus } from '../internal/subscription-status.js';
import { createValidators } from '../internal/validate.js';
import { bootstrapStreams } from './bootstrap-streams.js';
import { type BusContext, streamOf } from './bus-context.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './connection-defaults.js';
import { Connections } from './connections.js';
import { inspectBus } from './inspect-bus.js';
import { LossWatch } from './loss-watch.js';
import { PartitionedConsumer } from './partitioned-consumer.js';
import { Publisher } from './publisher.js';
import { RealtimeHub } from './realtime-hub.js';
import type { RedisClient } from './redis-client.js';
import { RedisDeadLetterQueue } from './redis-dead-letter-queue.js';
import type { RedisEventBusOptions } from './redis-event-bus-options.js';
import { RetentionKeeper } from './retention-keeper.js';
import { StreamConsumer } from './stream-consumer.js';
import { type TailEntry, type TailOptions, tailStream } from './stream-tail.js';

const BUS = 'RedisEventBus';
/** How long `waitUntilReady()` waits by default. */
const DEFAULT_READY_TIMEOUT_MS = 10_000;

/** The Redis EventBus (see the contract in runtime/bus.ts). */
export class RedisEventBus implements EventBus {
  readonly catalog: Catalog;
  private readonly ctx: BusContext;
  private readonly statsCounter = new StatsCounter();
  private readonly errors: Listeners<SchemabusError>;
  private readonly retention: RetentionKeeper;
  private readonly publisher: Publisher;
  private readonly realtime: RealtimeHub;
  private readonly subscriptions = new Map<Subscription, SubscriptionStatus>();
  /** The consumers of partitioned streams of each subscription (for health). */
  private readonly partitioned = new WeakMap<Subscription, PartitionedConsumer[]>();
  private readonly consumers = new Set<StreamConsumer | PartitionedConsumer>();
  private readonly dlqs = new Map<string, DeadLetterQueue>();
  /** Aborted when the bus closes: every running tail ends first. */
  private readonly tails = new AbortController();
  private readonly metricsRefresher: MetricsRefresher | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;

  constructor(private readonly options: RedisEventBusOptions) {
    this.catalog = options.catalog;
    const logger = options.logger ?? noopLogger;
    this.errors = new Listeners(logger, 'bus errors');
    const connections = new Connections(
      options.redis,
      logger,
      options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      options.stallTimeoutMs,
    );
    const catalog = options.catalog;
    const stats = this.statsCounter;
    this.ctx = {
      catalog,
      connections,
      validators: createValidators(catalog),
      stats,
      metrics: createMetrics(options.registry),
      logger,
      maxEntryBytes: options.maxEntryBytes ?? MAX_ENTRY_BYTES,
      losses: new LossWatch({ catalog, connections, stats, logger }, this.errors),
    };
    this.retention = new RetentionKeeper(this.ctx, options.retention);
    this.publisher = new Publisher(
      this.ctx,
      this.retention,
      options.maxOfflineQueue ?? 1000,
      options.idempotentPublish,
      options.waitForReplicas,
    );
    this.realtime = new RealtimeHub(this.ctx, this.errors);
    this.metricsRefresher = startBusRefresher(
      this,
      options.registry,
      options.metricsIntervalMs,
      logger,
    );
  }

  /** The command connection (for tools and tests; do not quit it). */
  get redis(): RedisClient {
    return this.ctx.connections.command;
  }

  /** Trims that hit the retention hard cap (see `RetentionOptions.hardCapFactor`). */
  get retentionForced(): number {
    return this.retention.forcedCount;
  }

  /** Watchdog recoveries of blocking readers so far. */
  get readerRecoveries(): number {
    let n = 0;
    for (const c of this.consumers) n += c.readerRecoveries;
    return n;
  }

  publish(type: string, data: unknown, meta?: PublishMeta): Promise<Published> {
    if (this.refusesCommands) return closedRejection(BUS, 'publish');
    return this.publisher.publish(type, data, meta);
  }

  publishBatch(items: readonly BatchItem[]): Promise<Published[]> {
    if (this.refusesCommands) return closedRejection(BUS, 'publishBatch');
    return this.publisher.publishBatch(items);
  }

  /** Stores `fields` on `stream` exactly as given, bypassing validation (tests, migrations, tools). */
  appendRaw(stream: string, fields: EntryFields): Promise<string> {
    if (this.refusesCommands) return closedRejection(BUS, 'appendRaw');
    return this.publisher.appendRaw(stream, fields);
  }

  subscribe(group: string, handlers: HandlerMap, options?: SubscribeOptions): Subscription {
    if (this.closed !== undefined) throw closedError(BUS, 'subscribe');
    const groups = checkHandlers(this.catalog, group, handlers);
    const resolved = resolveSubscribeOptions(options);
    const status = new SubscriptionStatus(this.ctx.logger);
    const consumers = groups.map((g) => {
      const stream = streamOf(this.catalog, g.stream);
      const Consumer = stream.partitions === undefined ? StreamConsumer : PartitionedConsumer;
      return new Consumer(this.ctx, g, stream, handlers, resolved, status, this.options);
    });
    for (const c of consumers) {
      this.consumers.add(c);
      c.start();
    }
    const streams = groups.map((g) => g.stream);
    logSubscription(this.ctx.logger, 'started', { group, consumer: resolved.consumer }, streams);
    let closing: Promise<void> | undefined;
    const subscription: Subscription = {
      group,
      consumer: resolved.consumer,
      get state() {
        return status.state;
      },
      get lastError() {
        return status.lastError;
      },
      onError: (listener) => status.onError(listener),
      close: (closeOptions?: CloseOptions) => {
        status.closing();
        closing ??= Promise.all(
          consumers.map((c) => c.close(closeOptions?.timeoutMs ?? 10_000)),
        ).then(() => {
          for (const c of consumers) this.consumers.delete(c);
          this.subscriptions.delete(subscription);
          status.closed();
          logSubscription(this.ctx.logger, 'stopped', subscription, streams);
        });
        return closing;
      },
    };
    this.subscriptions.set(subscription, status);
    const partitioned = consumers.filter((c) => c instanceof PartitionedConsumer);
    if (partitioned.length > 0) this.partitioned.set(subscription, partitioned);
    return subscription;
  }

  onRealtime(
    channel: string,
    params: RealtimeParams,
    handler: RealtimeHandler,
  ): Promise<Unsubscribe> {
    if (this.closed !== undefined) return closedRejection(BUS, 'onRealtime');
    return this.realtime.subscribe(channel, params, handler);
  }

  /**
   * Resolves once the command connection is ready and Redis answered PING.
   * Rejects with a `ConnectionError` naming the last socket or server error
   * (ECONNREFUSED, ENOTFOUND, WRONGPASS...) after `timeoutMs`, or at once
   * when the connection gave up (a `retryStrategy` that returned null).
   */
  async waitUntilReady(options?: WaitOptions): Promise<void> {
    if (this.closed !== undefined) throw closedError(BUS, 'waitUntilReady');
    await this.ctx.connections.waitUntilReady(options?.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  }

  bootstrap(): Promise<BootstrapReport> {
    if (this.refusesCommands) return closedRejection(BUS, 'bootstrap');
    return bootstrapStreams(this.ctx);
  }

  /**
   * Follows `stream` read-only: yields every entry added after `from`
   * (decoded, or with why it cannot be), until `signal` aborts or the loop
   * stops. Uses XREAD on a connection of its own: no group, nothing acked,
   * nothing any consumer sees changes (what `schemabus tail` runs).
   */
  tail(stream: string, options?: TailOptions): AsyncGenerator<TailEntry, void, undefined> {
    if (this.closed !== undefined) return closedTail(closedError(BUS, 'tail'));
    return tailStream(this.ctx, streamOf(this.catalog, stream), options ?? {}, this.tails.signal);
  }

  dlq(stream: string): DeadLetterQueue {
    let queue = this.dlqs.get(stream);
    if (queue === undefined) {
      const def = streamOf(this.catalog, stream);
      queue = guardDeadLetterQueue(
        def.partitions === undefined
          ? new RedisDeadLetterQueue(this.ctx, def, this.retention)
          : combineDeadLetterQueues(
              stream,
              partitionKeys(def).map(
                (keys) => new RedisDeadLetterQueue(this.ctx, def, this.retention, keys),
              ),
            ),
        BUS,
        () => this.refusesCommands,
      );
      this.dlqs.set(stream, queue);
    }
    return queue;
  }

  stats(): BusStats {
    return this.statsCounter.snapshot();
  }

  inspect(): Promise<BusInspection> {
    if (this.refusesCommands) return closedRejection(BUS, 'inspect');
    return inspectBus(this.ctx, this.retention);
  }

  health(): Promise<BusHealth> {
    const { command } = this.ctx.connections;
    const down =
      this.closed !== undefined
        ? 'the bus is closed'
        : command.status === 'ready'
          ? undefined
          : `Redis at ${this.ctx.connections.label} is not connected (${command.status})`;
    return busHealth({
      connections: this.closed === undefined ? this.ctx.connections.health() : [],
      subscriptions: [...this.subscriptions].map(([s, status]) => ({
        group: s.group,
        consumer: s.consumer,
        state: status.state,
        lastError: status.lastError,
        lastReadAt: status.lastReadAt,
        partitions: this.heldPartitions(s),
        breakers: status.breakers(),
      })),
      down,
      inspect: () => this.inspect(),
    });
  }

  /** Per partitioned stream of `subscription`, the partitions it holds now. */
  private heldPartitions(subscription: Subscription): Record<string, number[]> | undefined {
    const consumers = this.partitioned.get(subscription);
    if (consumers === undefined) return undefined;
    return Object.fromEntries(consumers.map((c) => [c.stream.name, c.heldPartitions]));
  }

  onError(listener: (error: SchemabusError) => void): () => void {
    return this.errors.add(listener);
  }

  /**
   * Closes every subscription (see `Subscription.close`), drops realtime
   * subscribers, then quits the connections the bus created. Publishing
   * stays possible until the subscriptions are closed, so handlers may
   * publish follow-up events.
   */
  close(options?: CloseOptions): Promise<void> {
    this.closed ??= this.doClose(options);
    return this.closed;
  }

  private async doClose(options?: CloseOptions): Promise<void> {
    this.metricsRefresher?.stop();
    this.closing = true;
    await Promise.all([...this.subscriptions.keys()].map((s) => s.close(options)));
    this.closing = false;
    this.realtime.close();
    this.tails.abort();
    await this.ctx.connections.closeAll();
  }

  /** Closed, or closing with its subscriptions already closed: Redis commands are refused. */
  private get refusesCommands(): boolean {
    return this.closed !== undefined && !this.closing;
  }
}

/** A tail of a closed bus: its first `next()` rejects with `error`. */
// biome-ignore lint/correctness/useYield: it only throws, as a tail of a closed bus must.
async function* closedTail(error: Error): AsyncGenerator<TailEntry, void, undefined> {
  throw error;
}
