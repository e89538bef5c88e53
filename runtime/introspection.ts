/** What a bus can tell about itself: counters, the state of its streams and groups, and what bootstrap did. */

import type { SubscriptionState } from './bus.js';

/**
 * What the `registry` option of a bus takes: a prom-client `Registry` (or
 * prom-client's default `register`). Declared here by the two methods the
 * bus uses, so the package's types do not need prom-client installed.
 */
export interface MetricsRegistry {
  getSingleMetric(name: string): unknown;
  registerMetric(metric: never): void;
}

/** The metrics options of both buses and of `createBus`. */
export interface BusMetricsOptions {
  /** prom-client registry to report metrics to (prom-client is loaded only then). @default none */
  readonly registry?: MetricsRegistry | undefined;
  /**
   * With a `registry`: how often the gauges of streams and groups (length,
   * lag, pending, DLQ, consumers, oldest pending age) are refreshed from
   * `inspect()`, and the loss counters from `stats()`; 0 turns that off.
   * @default 15000
   */
  readonly metricsIntervalMs?: number | undefined;
}

/** In-process counters since the bus was created. */
export interface BusStats {
  readonly published: number;
  readonly publishFailed: number;
  /** Publishes stored but acknowledged by fewer replicas than asked (`UnderReplicatedError`; Redis only). */
  readonly underReplicated: number;
  readonly rejected: number;
  readonly delivered: number;
  readonly acked: number;
  readonly skipped: number;
  /** Skipped entries of an event type the catalogue does not declare (a newer producer?). */
  readonly unknownTypes: number;
  /** Times Redis came back without data the bus had seen (`DataLossError`). */
  readonly dataLoss: number;
  /** Times the realtime connection was away and resubscribed (`RealtimeGapError`). */
  readonly realtimeGaps: number;
  readonly retried: number;
  readonly deadLettered: number;
  readonly lost: number;
  readonly realtimeSent: number;
  readonly realtimeReceived: number;
}

/** A consumer of a group, as `inspect()` sees it. */
export interface ConsumerInspection {
  readonly name: string;
  readonly pending: number;
  readonly idleMs: number;
}

/** A consumer group of a stream, as `inspect()` sees it. */
export interface GroupInspection {
  readonly name: string;
  readonly consumers: readonly ConsumerInspection[];
  /** Entries delivered and not yet acked. */
  readonly pending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell. */
  readonly lag: number | null;
  readonly lastDeliveredId: string;
  /** The oldest entry delivered to the group and not acked yet (XPENDING's smallest id); null when nothing is pending. */
  readonly oldestPendingId: string | null;
  /**
   * How long ago that entry was added to the stream (the time in its id), in
   * ms on the bus's clock; null when nothing is pending. How far behind the
   * group's slowest unfinished work is.
   */
  readonly oldestPendingAgeMs: number | null;
  /** The group holds back retention: the stream is past its limit because of it. */
  readonly laggingPastRetention: boolean;
  /**
   * In a partition of a partitioned stream (`StreamInspection.partitions`):
   * the consumer that reads it for this group now (holds its lease), null
   * when none does. Absent elsewhere.
   */
  readonly reader?: string | null;
}

/** The figures `inspect()` gives for a stream, and for each partition of a partitioned one. */
export interface StreamFigures {
  /** Its stream key. */
  readonly key: string;
  readonly length: number;
  /**
   * Entries ever added, trimmed ones included (XINFO STREAM's
   * `entries-added`, Redis 7.0+); null when Redis cannot tell. Its growth
   * between two inspections is what was published meanwhile.
   */
  readonly entriesAdded: number | null;
  readonly firstEntryId: string | null;
  readonly lastEntryId: string | null;
  readonly dlqLength: number;
  readonly groups: readonly GroupInspection[];
}

/** A stream of the catalogue, as `inspect()` sees it. */
export interface StreamInspection extends StreamFigures {
  readonly name: string;
  /**
   * A partitioned stream's partitions, in order, each with its own figures
   * (absent for an ordinary stream). The stream's own figures are then the
   * totals: lengths, DLQ sizes, pending and lag summed, ids the extremes,
   * a group's consumers merged by name; `key` is the stream's base key.
   */
  readonly partitions?: readonly PartitionInspection[];
}

/** One partition of a partitioned stream, as `inspect()` sees it. */
export interface PartitionInspection extends StreamFigures {
  readonly index: number;
  /** Its DLQ's key (its own `key` is `{namespace:stream:p<index>}`). */
  readonly dlqKey: string;
}

/** What `inspect()` returns: every stream of the catalogue, sorted by name. */
export interface BusInspection {
  readonly streams: readonly StreamInspection[];
  /** What this bus found lost since it started (the last 20): see `DataLossError`. */
  readonly losses: readonly LossReport[];
}

/** One detection of data Redis no longer has. */
export interface LossReport {
  /** When it was detected (ISO). */
  readonly at: string;
  readonly message: string;
  /** The streams that lost entries, with the newest id the bus had seen on each. */
  readonly streams: readonly {
    readonly stream: string;
    readonly lastSeenId: string;
    readonly gone: boolean;
  }[];
  /** Consumer groups that vanished. */
  readonly groups: readonly { readonly stream: string; readonly group: string }[];
}

/** What `bootstrap()` did to one consumer group. */
export interface GroupBootstrap {
  readonly name: string;
  readonly startFrom: 'latest' | 'earliest';
  /** `created` by this call, or `found` (left as it was: its position is never moved). */
  readonly status: 'created' | 'found';
}

/** What `bootstrap()` did to one stream. */
export interface StreamBootstrap {
  readonly name: string;
  readonly key: string;
  readonly dlqKey: string;
  /**
   * `found`: it existed (an entry or a group); `created`: this call created it
   * with its first group; `absent`: it has no groups and no entry yet, so
   * nothing creates it before the first publish.
   */
  readonly status: 'created' | 'found' | 'absent';
  readonly groups: readonly GroupBootstrap[];
  /** Groups the server has on this stream that the catalogue does not list (left alone), sorted. */
  readonly unknownGroups: readonly string[];
  /**
   * A partitioned stream's partitions, in order (absent for an ordinary
   * stream). Then `key` and `dlqKey` are the stream's base key, which holds
   * nothing; `status` is `found` when any partition existed, a group is
   * `created` when this call created it on any partition, and
   * `unknownGroups` is across all partitions.
   */
  readonly partitions?: readonly PartitionBootstrap[];
  /**
   * On a partitioned stream whose partition count seems to have changed
   * since its keys were made (some partitions existed and others did not, or
   * a partition beyond the catalogue's count exists): what was seen and what
   * it means. Keys then route to other partitions. Absent otherwise.
   */
  readonly warnings?: readonly string[];
}

/** What `bootstrap()` did to one partition of a partitioned stream. */
export interface PartitionBootstrap {
  readonly index: number;
  readonly key: string;
  readonly dlqKey: string;
  readonly status: 'created' | 'found' | 'absent';
}

/** What `bootstrap()` created and what was there, per stream (sorted by name). */
export interface BootstrapReport {
  readonly streams: readonly StreamBootstrap[];
}

/** One connection of a bus, as `health()` sees it. */
export interface ConnectionHealth {
  /** `command` (publishes, acks, scripts), `reader` (one per stream of a subscription), `subscriber` (realtime), `replicated` (publishes that wait for replicas). */
  readonly role: 'command' | 'reader' | 'subscriber' | 'replicated';
  readonly name: string;
  /** ioredis's status: `ready`, `connecting`, `reconnecting`, `end`... */
  readonly status: string;
}

/** One subscription of a bus, as `health()` sees it. */
export interface SubscriptionHealth {
  readonly group: string;
  readonly consumer: string;
  /** `running`, `reconnecting` (reads fail, it retries), `paused` (its circuit breaker is open), `closing`, `closed`. */
  readonly state: SubscriptionState;
  /** Why it is not running, when it is not. */
  readonly lastError: string | null;
  /** When a read last succeeded (the in-memory bus: when it last took an entry); null before the first. */
  readonly lastReadAt: string | null;
  /** Entries of its streams not yet delivered to its group (inspect()'s lag, summed); null when unknown. */
  readonly lag: number | null;
  /** The circuit breaker of its consumer on each stream, when it has one (else empty). */
  readonly circuitBreakers: readonly CircuitBreakerHealth[];
  /**
   * Per partitioned stream it reads, the partitions (indexes, ascending) this
   * subscription reads now: on Redis those whose lease it holds (the other
   * consumers of its group read the rest). Absent when it reads no
   * partitioned stream, or on a bus that does not report it.
   */
  readonly partitions?: { readonly [stream: string]: readonly number[] };
}

/** One consumer's circuit breaker in `health()`. */
export interface CircuitBreakerHealth {
  readonly stream: string;
  /** `closed` (deliveries flow), `open` (none for the cool-down), `half-open` (one probe). */
  readonly state: 'closed' | 'open' | 'half-open';
  /** The handler failure that opened it, while it is not closed. */
  readonly lastFailure: string | null;
}

/**
 * What `health()` reports: `ok` when the bus reaches its server and every
 * subscription runs; `degraded` when one reconnects or is paused; `down`
 * when the bus cannot reach its server (or is closed).
 */
export interface BusHealth {
  readonly status: 'ok' | 'degraded' | 'down';
  /** When it was taken (ISO). */
  readonly checkedAt: string;
  /** Why it is `down`, when it is. */
  readonly reason: string | null;
  /** The bus's connections (none in memory). */
  readonly connections: readonly ConnectionHealth[];
  readonly subscriptions: readonly SubscriptionHealth[];
}
