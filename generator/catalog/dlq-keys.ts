/**
 * The dead-letter stream keys of a catalogue stream, for tools that name
 * them: `stream.dlqKey` for an unpartitioned stream, one
 * `{namespace:stream:p<i>}:dlq` per partition otherwise (the base
 * `{namespace:stream}:dlq` of a partitioned stream is never written). The
 * keys come from `schema/partition-keys.ts`, as the runtime's do.
 */
import type { CatalogStream } from '../../runtime/catalog.js';
import { partitionDlqKey, partitionStreamKey } from '../../schema/partition-keys.js';

/** Every DLQ key of `stream`, in partition order. */
export function dlqKeysOf(stream: CatalogStream): string[] {
  if (stream.partitions === undefined) return [stream.dlqKey];
  return Array.from({ length: stream.partitions.count }, (_, index) =>
    partitionDlqKey(partitionStreamKey(stream.key, index)),
  );
}
