/** In-process counters behind `EventBus.stats()`. */
import type { BusStats } from '../bus.js';

/** Mutable counters; each bus owns one and increments its fields directly. */
export class StatsCounter implements BusStats {
  /** Events stored (or sent, for realtime-only events) by publish. */
  published = 0;
  /** Publishes that failed after validation (connection errors, outcome unknown). */
  publishFailed = 0;
  /** Publishes stored, but acknowledged by fewer replicas than their `waitForReplicas` asked for. */
  underReplicated = 0;
  /** Publishes rejected by validation. */
  rejected = 0;
  /** Entries handed to a handler (each retry counts). */
  delivered = 0;
  /** Entries acked after their handler resolved. */
  acked = 0;
  /** Entries acked unseen: a type the group does not listen to, a replay for another group, a duplicate, an unknown type. */
  skipped = 0;
  /** Of the skipped entries, those of an event type the catalogue does not declare (logged once per type). */
  unknownTypes = 0;
  /** Times Redis came back without data the bus had seen. */
  dataLoss = 0;
  /** Times the realtime connection was away and resubscribed. */
  realtimeGaps = 0;
  /** Failed deliveries scheduled for another attempt. */
  retried = 0;
  /** Entries moved to the DLQ (or dropped when the group's `dlq` is false). */
  deadLettered = 0;
  /** Pending entries that vanished before they were handled (trimmed or deleted). */
  lost = 0;
  /** Realtime messages sent. */
  realtimeSent = 0;
  /** Realtime messages handed to subscribers. */
  realtimeReceived = 0;

  /** A frozen copy of the counters. */
  snapshot(): BusStats {
    return Object.freeze({
      published: this.published,
      publishFailed: this.publishFailed,
      underReplicated: this.underReplicated,
      rejected: this.rejected,
      delivered: this.delivered,
      acked: this.acked,
      skipped: this.skipped,
      unknownTypes: this.unknownTypes,
      dataLoss: this.dataLoss,
      realtimeGaps: this.realtimeGaps,
      retried: this.retried,
      deadLettered: this.deadLettered,
      lost: this.lost,
      realtimeSent: this.realtimeSent,
      realtimeReceived: this.realtimeReceived,
    });
  }
}
