/**
 * Which partitions a consumer should read, from the group's live members:
 * the same pure function on every consumer, so consumers that see the same
 * members agree without talking. Members are sorted by token; member k of m
 * gets the partitions i with i mod m = k, so each holds count/m partitions,
 * rounded up or down. Views may differ for a moment (a heartbeat not seen
 * yet): the leases keep a partition to one reader meanwhile.
 */

/** The partitions (ascending) that `me` should hold among `members`; none when `me` is not listed. */
export function assignPartitions(members: readonly string[], me: string, count: number): number[] {
  const sorted = [...new Set(members)].sort();
  const at = sorted.indexOf(me);
  const wanted: number[] = [];
  if (at < 0) return wanted;
  for (let i = at; i < count; i += sorted.length) wanted.push(i);
  return wanted;
}
