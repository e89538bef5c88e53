/**
 * Bookkeeping keys beside a stream. Every key of one stream shares the
 * stream's hash tag (`{namespace:stream}`), so a Cluster keeps them on one slot
 * and one Lua script may touch them all. The stream and DLQ keys come from the
 * catalogue (`stream.key`, `stream.dlqKey`); this is the only place that
 * derives others from them.
 */
import type { CatalogStream } from '../catalog.js';
import { partitionByKey } from '../internal/partitions.js';

/** The keys of one stream. */
export interface StreamKeys {
  /** The stream, `{ns:stream}`. */
  readonly stream: string;
  /** The dead-letter stream, `{ns:stream}:dlq`. */
  readonly dlq: string;
  /**
   * Hash of failure records, field `<group>:<entry id>`, value JSON
   * `{first,last,error,attempt,delay}`; a record is deleted on ack and on
   * dead-lettering.
   */
  readonly failures: string;
}

/**
 * The keys of `stream`, or of its partition whose stream key is `key`
 * (`partitionKeys` in internal/partitions.ts): each partition has its own
 * DLQ and failure records under its own hash tag.
 */
export function streamKeys(stream: CatalogStream, key: string = stream.key): StreamKeys {
  const dlq =
    key === stream.key ? stream.dlqKey : (partitionByKey(stream, key)?.dlqKey ?? `${key}:dlq`);
  return { stream: key, dlq, failures: `${key}:failures` };
}

/** The idempotent-publish marker of event `eventId` appended to stream key `key` (same hash tag). */
export function dedupKey(key: string, eventId: string): string {
  return `${key}:dedup:${eventId}`;
}

/** The field of a failure record in {@link StreamKeys.failures}. */
export function failureField(group: string, entryId: string): string {
  return `${group}:${entryId}`;
}

/**
 * The lease of partition stream key `partitionKey` for `group`, in the
 * partition's own hash tag: `{ns:stream:p3}:lease:<group>`, holding the
 * token of the consumer that reads the partition (partition-lease.ts).
 */
export function partitionLeaseKey(partitionKey: string, group: string): string {
  return `${partitionKey}:lease:${group}`;
}

/**
 * The live consumers of `group` on partitioned `stream`: a sorted set,
 * member the consumer's token, score when its heartbeat expires (Redis's
 * clock, ms), in the stream's own hash tag: `{ns:stream}:members:<group>`
 * (partition-membership.ts).
 */
export function partitionMembersKey(stream: CatalogStream, group: string): string {
  return `${stream.key}:members:${group}`;
}
