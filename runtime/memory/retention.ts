/**
 * Retention in memory: exact trimming on publish, never past an entry some
 * group still needs (pending, or not delivered yet).
 */
import type { Retention } from '../catalog.js';
import type { GroupState } from './group-state.js';
import type { StreamLog } from './stream-log.js';

/** Entries before this position are beyond the retention limit. */
export function retentionCutoff(log: StreamLog, retention: Retention, now: number): number {
  if ('maxLen' in retention) return log.endPos - retention.maxLen;
  return log.firstPosAtOrAfter(now - retention.maxAgeMs);
}

/** Trims `log` to its retention, but not past the oldest entry any of `groups` still needs; returns how many went. */
export function applyRetention(
  log: StreamLog,
  retention: Retention,
  groups: Iterable<GroupState>,
  now: number,
): number {
  let bound = retentionCutoff(log, retention, now);
  if (bound <= log.startPos) return 0;
  for (const group of groups) bound = Math.min(bound, group.floorPos());
  return log.trimBefore(bound);
}

/** Whether `group` keeps the stream past its retention limit (it still needs an entry beyond the cutoff). */
export function isLaggingPastRetention(
  log: StreamLog,
  retention: Retention,
  group: GroupState,
  now: number,
): boolean {
  const cutoff = retentionCutoff(log, retention, now);
  return cutoff > log.startPos && group.floorPos() < cutoff;
}
