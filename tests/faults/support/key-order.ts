/**
 * The per-key order check of the partitioned-stream fault tests: from the
 * handler starts and ends several consumer processes printed (each stamped
 * with the wall clock: one machine, one clock), whether every published
 * (key, seq) was handled, and whether each key's events were handled in
 * order across the whole group: an event never started before the previous
 * event of its key had been handled somewhere. Redeliveries (a process
 * killed after its handler ran, before the ack) are counted, not errors.
 */

/** A line of tests/faults/fixtures/partition-consumer.ts. */
export interface KeyedHandling {
  readonly kind: 'started' | 'handled';
  readonly key: string;
  readonly seq: number;
  readonly attempt: number;
  readonly at: number;
}

export interface KeyOrderCounts {
  readonly published: number;
  /** Published (key, seq) never handled. */
  readonly missing: number;
  /** Handler ends beyond the first per (key, seq). */
  readonly redelivered: number;
  /** Starts of seq n of a key before seq n-1 of that key had been handled anywhere, with what. */
  readonly outOfOrder: readonly string[];
}

/** Checks `lines` against `published` (per key, the number of events: seq 0..n-1). */
export function checkKeyOrder(
  lines: readonly KeyedHandling[],
  published: ReadonlyMap<string, number>,
): KeyOrderCounts {
  const firstHandled = new Map<string, number>();
  let redelivered = 0;
  for (const l of lines) {
    if (l.kind !== 'handled') continue;
    const id = `${l.key}#${l.seq}`;
    const at = firstHandled.get(id);
    if (at === undefined || l.at < at) {
      if (at !== undefined) redelivered++;
      firstHandled.set(id, l.at);
    } else redelivered++;
  }
  let count = 0;
  let missing = 0;
  for (const [key, n] of published) {
    count += n;
    for (let seq = 0; seq < n; seq++) if (!firstHandled.has(`${key}#${seq}`)) missing++;
  }
  const outOfOrder: string[] = [];
  for (const l of lines) {
    if (l.kind !== 'started' || l.seq === 0) continue;
    const before = firstHandled.get(`${l.key}#${l.seq - 1}`);
    if (before === undefined || l.at < before) {
      outOfOrder.push(
        `${l.key}#${l.seq} (attempt ${l.attempt}) started at ${l.at.toFixed(1)}, #${l.seq - 1} handled ${before === undefined ? 'never' : `at ${before.toFixed(1)}`}`,
      );
    }
  }
  return { published: count, missing, redelivered, outOfOrder };
}
