/** Small helpers shared by the contract cases. */
import type { BatchItem, EventBus, GroupInspection, StreamInspection } from '../../runtime/bus.js';

/** `job.requested` payload. */
export interface Job {
  readonly jobId: string;
  readonly key: string;
  readonly seq: number;
}

/** `n` job events (seq 0..n-1), keys cycling through `keys`. */
export function jobs(n: number, keys: readonly string[] = ['k']): BatchItem[] {
  return Array.from({ length: n }, (_, seq) => ({
    type: 'job.requested',
    data: { jobId: `job-${seq}`, key: keys[seq % keys.length]!, seq } satisfies Job,
  }));
}

/** The stream named `name` in `inspect()`. */
export async function inspectStream(bus: EventBus, name: string): Promise<StreamInspection> {
  const stream = (await bus.inspect()).streams.find((s) => s.name === name);
  if (stream === undefined) throw new Error(`inspect() has no stream ${name}`);
  return stream;
}

/** The group `group` of stream `stream` in `inspect()`. */
export async function inspectGroup(
  bus: EventBus,
  stream: string,
  group: string,
): Promise<GroupInspection> {
  return groupIn(await inspectStream(bus, stream), group);
}

function groupIn(stream: StreamInspection, group: string): GroupInspection {
  const found = stream.groups.find((g) => g.name === group);
  if (found === undefined) throw new Error(`inspect() has no group ${group} on ${stream.name}`);
  return found;
}

/**
 * Whether the group has nothing pending and nothing left to read. When Redis
 * cannot tell the lag (null, e.g. after deletions), the group must have been
 * handed the stream's last entry.
 */
export async function groupDrained(bus: EventBus, stream: string, group: string): Promise<boolean> {
  const s = await inspectStream(bus, stream);
  const g = groupIn(s, group);
  if (g.pending !== 0) return false;
  if (g.lag !== null) return g.lag === 0;
  return s.lastEntryId === null || g.lastDeliveredId === s.lastEntryId;
}

/** A promise resolved after `ms` (only to hold a handler busy, never to wait for a result). */
export function busyFor(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The value of `field` counted per distinct value. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
