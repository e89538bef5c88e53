/**
 * Rates between two inspections, for `inspect --watch`: entries added per
 * second to each stream (growth of `entriesAdded`, which trimming does not
 * move), and entries acked per second by each group: what was added minus
 * what the group has yet to finish (lag + pending) growing.
 */
import type { StreamInspection } from 'schemabus';

/** Per second, between two inspections; null when it cannot be told. */
export interface InspectionRates {
  /** Entries added to `stream` per second. */
  added(stream: string): number | null;
  /** Entries `group` of `stream` acked per second. */
  acked(stream: string, group: string): number | null;
}

/**
 * The rates from `before` to `after`, `seconds` apart. Null where a count is
 * unknown (Redis before 7.0, a lag Redis cannot tell), for a group or stream
 * that was not there before, and when a count went back (a stream or group
 * deleted and created again).
 */
export function ratesBetween(
  before: readonly StreamInspection[],
  after: readonly StreamInspection[],
  seconds: number,
): InspectionRates {
  const previous = new Map(before.map((s) => [s.name, s]));
  const added = new Map<string, number | null>();
  const acked = new Map<string, number | null>();
  const perSecond = (n: number | null) =>
    n === null || n < 0 || !(seconds > 0) ? null : n / seconds;
  for (const stream of after) {
    const old = previous.get(stream.name);
    const grew =
      old?.entriesAdded == null || stream.entriesAdded === null
        ? null
        : stream.entriesAdded - old.entriesAdded;
    added.set(stream.name, perSecond(grew));
    const oldGroups = new Map(old?.groups.map((g) => [g.name, g]));
    for (const group of stream.groups) {
      const was = oldGroups.get(group.name);
      const unfinished = (g: typeof group | undefined) =>
        g === undefined || g.lag === null ? null : g.lag + g.pending;
      const [u0, u1] = [unfinished(was), unfinished(group)];
      const done = grew === null || u0 === null || u1 === null ? null : grew - (u1 - u0);
      acked.set(`${stream.name}\u0000${group.name}`, perSecond(done));
    }
  }
  return {
    added: (stream) => added.get(stream) ?? null,
    acked: (stream, group) => acked.get(`${stream}\u0000${group}`) ?? null,
  };
}
