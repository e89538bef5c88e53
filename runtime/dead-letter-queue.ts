/** The dead-letter queue of a stream, as the EventBus contract offers it (`bus.dlq(stream)`). */
import type { Envelope, Published } from './bus.js';

/** Why an entry went to the dead-letter queue. */
export type DeadLetterReason = 'exhausted' | 'non-retryable' | 'invalid' | 'undecodable';

/** One entry of a stream's dead-letter queue. */
export interface DeadLetter {
  /** Id of the DLQ entry (use it to replay or purge one); `p<partition>:<id>` on a partitioned stream. */
  readonly id: string;
  readonly stream: string;
  /** The partition it came from (and is replayed to), on a partitioned stream. */
  readonly partition?: number;
  readonly group: string;
  /** Id of the original stream entry. */
  readonly entryId: string;
  readonly reason: DeadLetterReason;
  readonly error: string;
  readonly attempts: number;
  readonly firstFailureAt: string;
  readonly lastFailureAt: string;
  /** The event type, when the entry had one. */
  readonly type?: string;
  /** The original entry's fields, as stored (see ARCHITECTURE.md, stored format). */
  readonly fields: { readonly [field: string]: string };
  /** The original event, decoded; absent when its entry cannot be decoded (reason `undecodable`). */
  readonly event?: Envelope;
}

/** Which dead letters an operation applies to: every given criterion must match. */
export interface DeadLetterFilter {
  readonly group?: string | undefined;
  readonly type?: string | undefined;
  readonly reason?: DeadLetterReason | undefined;
  /** Only the DLQ entries with these ids. */
  readonly ids?: readonly string[] | undefined;
}

/** Options of `DeadLetterQueue.list`: a filter and a page. */
export interface DeadLetterListOptions extends DeadLetterFilter {
  /** @default 100 */
  readonly count?: number | undefined;
  /** Start after this DLQ entry id (paging). */
  readonly after?: string | undefined;
}

/** A stream's dead-letter queue. */
export interface DeadLetterQueue {
  list(options?: DeadLetterListOptions): Promise<DeadLetter[]>;
  count(): Promise<number>;
  /** Re-publishes one dead letter for its group only and removes it from the DLQ. */
  replay(id: string): Promise<Published>;
  /** Replays every matching dead letter, oldest first; returns how many. */
  replayAll(filter?: DeadLetterFilter): Promise<number>;
  /** Deletes matching dead letters (all when no filter); returns how many. */
  purge(filter?: DeadLetterFilter): Promise<number>;
}
