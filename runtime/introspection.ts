/** What a bus can tell about itself: counters, the state of its streams and groups, and what bootstrap did. */

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
  /** The group holds back retention: the stream is past its limit because of it. */
  readonly laggingPastRetention: boolean;
}

/** A stream of the catalogue, as `inspect()` sees it. */
export interface StreamInspection {
  readonly name: string;
  readonly key: string;
  readonly length: number;
  readonly firstEntryId: string | null;
  readonly lastEntryId: string | null;
  readonly dlqLength: number;
  readonly groups: readonly GroupInspection[];
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
}

/** What `bootstrap()` created and what was there, per stream (sorted by name). */
export interface BootstrapReport {
  readonly streams: readonly StreamBootstrap[];
}
