/**
 * The stream key of partition `index` of a partitioned stream whose key is
 * `{namespace:stream}`: `{namespace:stream:p<index>}`, its own hash tag, so a
 * Cluster spreads the partitions over its slots. Part of the stored format;
 * shared by the runtime (`runtime/internal/partitions.ts`) and the generator
 * (bootstrap plan, ACL), which may not import runtime values.
 */
export function partitionStreamKey(streamKey: string, index: number): string {
  return `${streamKey.slice(0, -1)}:p${index}}`;
}

/** The dead-letter stream of a partition stream key: `<key>:dlq`, same hash tag. */
export function partitionDlqKey(partitionKey: string): string {
  return `${partitionKey}:dlq`;
}
