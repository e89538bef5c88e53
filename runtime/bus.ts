/**
 * The EventBus contract, shared by RedisEventBus and InMemoryEventBus.
 *
 * - `publish` validates strictly, writes nothing when invalid, and resolves
 *   only once the event is stored (and sent on its realtime channel).
 * - `subscribe` delivers each stored event at least once to every group that
 *   listens to its type, to one consumer of the group at a time; an event is
 *   acked only after its handler resolved. A throwing handler is retried with
 *   backoff until `maxAttempts`; then, or at once for poison entries, the event
 *   goes to the stream's dead-letter queue for that group only.
 * - `onRealtime` is at-most-once to live subscribers.
 * - `close` stops reading, lets in-flight handlers finish, never acks
 *   unfinished work.
 */
import type { Catalog } from './catalog.js';
import type { DeadLetterQueue } from './dead-letter-queue.js';
import type { SchemabusError } from './errors.js';
import type { CircuitBreakerOptions } from './internal/circuit-breaker.js';
import type { BootstrapReport, BusHealth, BusInspection, BusStats } from './introspection.js';

export type * from './dead-letter-queue.js';
export type * from './introspection.js';

/** CloudEvents 1.0 envelope around a payload. */
export interface Envelope<T = unknown, K extends string = string> {
  readonly specversion: '1.0';
  /** Unique, time-ordered event id. */
  readonly id: string;
  readonly source: string;
  readonly type: K;
  /** RFC 3339 timestamp of the occurrence. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: T;
  readonly subject?: string;
  readonly correlationid?: string;
  readonly causationid?: string;
  /** W3C trace context (CloudEvents distributed tracing extension): the publish's span when traced. */
  readonly traceparent?: string;
  /** W3C trace state, with `traceparent`. */
  readonly tracestate?: string;
  /** Set on a DLQ replay: only this group handles the entry, every other group acks it unseen. */
  readonly replayfor?: string;
}

/** Optional envelope attributes of one publish. */
export interface PublishMeta {
  /**
   * Resolve only once this many replicas acknowledged the entry (Redis
   * `WAIT`), so a failover to one of them keeps it; fewer within the timeout
   * rejects with `UnderReplicatedError` (the entry is stored on the master).
   * Stream events only; the in-memory bus has no replicas and ignores it.
   * @default the bus option `waitForReplicas`, else no wait
   */
  readonly waitForReplicas?: WaitForReplicas | undefined;
  /** @default a new time-ordered id */
  readonly id?: string | undefined;
  /** @default now */
  readonly time?: string | Date | undefined;
  /** @default the catalogue's `source` */
  readonly source?: string | undefined;
  readonly subject?: string | undefined;
  readonly correlationId?: string | undefined;
  readonly causationId?: string | undefined;
  /** Continue this W3C trace (else the active OpenTelemetry context's, when there is one). */
  readonly traceparent?: string | undefined;
  readonly tracestate?: string | undefined;
}

/** How many replicas a publish waits for, and how long at most (`PublishMeta.waitForReplicas`). */
export interface WaitForReplicas {
  /** Replicas that must acknowledge the entry: 1 or more. */
  readonly replicas: number;
  /** Longest wait in ms: 1 or more. */
  readonly timeoutMs: number;
}

/** What a publish stored. */
export interface Published {
  readonly id: string;
  readonly type: string;
  /** The stream entry id, absent for realtime-only events. */
  readonly entryId?: string;
  /** The stream name, absent for realtime-only events. */
  readonly stream?: string;
  /** The partition the entry was appended to, when the stream is partitioned (`partitions` in the catalogue). */
  readonly partition?: number;
  /** The concrete channel the event was published on, if realtime. */
  readonly channel?: string;
  /** How many replicas acknowledged the entry, when the publish waited for them (`waitForReplicas`). */
  readonly replicas?: number;
}

/** One event of a `publishBatch`. */
export interface BatchItem {
  readonly type: string;
  readonly data: unknown;
  readonly meta?: PublishMeta | undefined;
}

/** What a handler knows about the delivery it is handling. */
export interface HandlerContext {
  readonly group: string;
  readonly consumer: string;
  readonly stream: string;
  /** The stream entry id. */
  readonly entryId: string;
  /** 1 on the first delivery, counted across consumers and restarts. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted when `close({ timeoutMs })` gives up waiting for this handler. */
  readonly signal: AbortSignal;
}

/**
 * Handles one event. The event is read-only: the in-memory bus hands every
 * group the same deeply frozen envelope (writing to it throws in strict
 * code); copy what you need to change.
 */
export type Handler<T = unknown> = (event: Envelope<T>, ctx: HandlerContext) => Promise<void>;

/** Handlers of one group by event type: every event of the group needs one. */
export type HandlerMap = { readonly [type: string]: Handler<never> };

/** How one consumer of a subscription reads and runs handlers. */
export interface SubscribeOptions {
  /** Consumer name, unique inside the group. @default `<hostname>-<pid>-<random>` */
  readonly consumer?: string | undefined;
  /** Handlers in flight at once per stream. @default 1 */
  readonly concurrency?: number | undefined;
  /**
   * Entries fetched per read; at most this many wait for a free handler slot.
   * When not set, the Redis bus sizes each read to about 50 ms of handler
   * work (measured on sampled deliveries), between `max(2, concurrency)` and
   * 200 entries held; the in-memory bus holds `10 * concurrency`, at most 100.
   */
  readonly batchSize?: number | undefined;
  /** How long one blocking read waits for new entries. @default 2000 */
  readonly blockMs?: number | undefined;
  /** Events with the same key are handled one after another, in stream order. */
  readonly orderingKey?: (event: Envelope) => string | undefined;
  /** Skip an event whose envelope id this consumer has already handled (bounded memory). @default false */
  readonly dedupe?: boolean | undefined;
  /**
   * The circuit breaker of each of its consumers (one per stream of the
   * group): when more than `failureRate` of the deliveries of the last
   * `windowMs` fail, the consumer stops reading and starting entries for
   * `coolDownMs` (state `paused`), then lets one delivery through. `true`
   * takes the catalogue group's `circuitBreaker` (else the defaults), an
   * object overrides it field by field, `false` turns it off.
   * @default the catalogue group's `circuitBreaker` (none when it has none)
   */
  readonly circuitBreaker?: CircuitBreakerOptions | boolean | undefined;
}

/** Options of `close()` (of a subscription or the bus). */
export interface CloseOptions {
  /** How long in-flight handlers may take to finish before they are abandoned (left pending). @default 10000 */
  readonly timeoutMs?: number | undefined;
}

/** Options of `waitUntilReady`. */
export interface WaitOptions {
  /** How long to wait. @default 10000 */
  readonly timeoutMs?: number | undefined;
}

/**
 * Where a subscription is: `running` (reading), `reconnecting` (its reads or
 * group commands fail and it retries; `lastError` says why), `paused` (its
 * circuit breaker stopped it reading for a cool-down), `closing`, `closed`.
 */
export type SubscriptionState = 'running' | 'reconnecting' | 'paused' | 'closing' | 'closed';

/** A running subscription of one group (on every stream where the group exists). */
export interface Subscription {
  readonly group: string;
  readonly consumer: string;
  /** Where it is: see {@link SubscriptionState}. */
  readonly state: SubscriptionState;
  /** Why reading fails, while `reconnecting` (a `ConnectionError` naming the cause). */
  readonly lastError: Error | undefined;
  /**
   * Calls `listener` when reading starts failing (once per outage, with the
   * first error; the subscription keeps retrying and is `running` again once
   * a read succeeds). Returns the function that removes the listener. The
   * in-memory bus never fails to read.
   */
  onError(listener: (error: Error) => void): () => void;
  /** Stops reading, waits for in-flight handlers, acks what finished, leaves the rest pending. */
  close(options?: CloseOptions): Promise<void>;
}

/** Receives one realtime event and the concrete channel it came on; its failure is logged, never retried. */
export type RealtimeHandler<T = unknown> = (
  event: Envelope<T>,
  channel: string,
) => void | Promise<void>;
/** Channel params by name: the ones given narrow the subscription, the missing ones match anything. */
export type RealtimeParams = { readonly [param: string]: string | number | undefined };
/** Stops a realtime subscription. */
export type Unsubscribe = () => Promise<void>;

/** A pino-compatible logger; the bus logs nothing unless given one. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** The event bus: see the module comment for what each operation promises. */
export interface EventBus {
  readonly catalog: Catalog;
  /** Validates, stores and (for realtime events) broadcasts one event. */
  publish(type: string, data: unknown, meta?: PublishMeta): Promise<Published>;
  /** Validates all first (nothing is written if one is invalid), then stores them in one round trip. */
  publishBatch(items: readonly BatchItem[]): Promise<Published[]>;
  /** Starts consuming for `group` on every stream where it exists. */
  subscribe(group: string, handlers: HandlerMap, options?: SubscribeOptions): Subscription;
  /** Receives realtime events of `channel`: the params given narrow it, the rest match anything. */
  onRealtime(
    channel: string,
    params: RealtimeParams,
    handler: RealtimeHandler,
  ): Promise<Unsubscribe>;
  /**
   * Resolves once the bus can reach its server (at once for the in-memory
   * bus). Rejects with a `ConnectionError` saying why (connection refused,
   * unknown host, wrong password...) when that takes longer than `timeoutMs`.
   */
  waitUntilReady(options?: WaitOptions): Promise<void>;
  /** Creates every stream and group of the catalogue; idempotent. Reports what it created and what was there. */
  bootstrap(): Promise<BootstrapReport>;
  /** The dead-letter queue of `stream`. */
  dlq(stream: string): DeadLetterQueue;
  stats(): BusStats;
  inspect(): Promise<BusInspection>;
  /**
   * The bus's health: its connections, and per subscription its state, last
   * successful read and lag. Never rejects (a bus that cannot reach its
   * server is `down`, a closed one too).
   */
  health(): Promise<BusHealth>;
  /**
   * Calls `listener` with what goes wrong on the bus's own, outside any call
   * the application made: a `DataLossError` when Redis came back without
   * data the bus had seen, a `RealtimeGapError` when the realtime
   * connection was away and resubscribed. Returns the function that removes
   * the listener. (A subscription's read failures go to its own `onError`.)
   * The in-memory bus never emits.
   */
  onError(listener: (error: SchemabusError) => void): () => void;
  /** Closes every subscription (see `Subscription.close`), then disconnects. */
  close(options?: CloseOptions): Promise<void>;
}
