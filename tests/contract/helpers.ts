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
  const found = (await inspectStream(bus, stream)).groups.find((g) => g.name === group);
  if (found === undefined) throw new Error(`inspect() has no group ${group} on ${stream}`);
  return found;
}

/** Whether the group has nothing pending and nothing left to read. */
export async function groupDrained(bus: EventBus, stream: string, group: string): Promise<boolean> {
  const g = await inspectGroup(bus, stream, group);
  return g.pending === 0 && (g.lag === null || g.lag === 0);
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
