/** Stream order with concurrency 1, per-key order with orderingKey, bounded in-flight work. */
import { expect, it } from 'vitest';
import type { Envelope } from '../../../runtime/bus.js';
import { collect, waitFor } from '../../support/wait.js';
import { busyFor, groupDrained, inspectGroup, type Job, jobs } from '../helpers.js';
import type { ContractContext } from '../suite.js';

export function orderingCases({ h }: ContractContext): void {
  it('one consumer with concurrency 1 handles entries in stream order', async () => {
    const { bus } = h();
    const seen: number[] = [];
    const n = 60;
    await bus.publishBatch(jobs(n));
    bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void seen.push(event.data.seq) },
      { concurrency: 1, batchSize: 7 },
    );
    await bus.publishBatch(
      jobs(n).map((j, i) => ({ ...j, data: { ...(j.data as Job), seq: n + i } })),
    );
    expect(await collect(seen, 2 * n)).toEqual([...Array(2 * n).keys()]);
  });

  it('orderingKey keeps each key sequential and in order while keys interleave', async () => {
    const { bus } = h();
    const keys = ['a', 'b', 'c', 'd'];
    const perKey = new Map<string, number[]>();
    const running = new Map<string, number>();
    let overlapSameKey = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let done = 0;
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>) => {
          const { key, seq } = event.data;
          if ((running.get(key) ?? 0) > 0) overlapSameKey++;
          running.set(key, (running.get(key) ?? 0) + 1);
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await busyFor(1 + (seq % 3));
          perKey.set(key, [...(perKey.get(key) ?? []), seq]);
          running.set(key, running.get(key)! - 1);
          inFlight--;
          done++;
        },
      },
      { concurrency: 4, orderingKey: (event) => (event.data as Job).key },
    );
    const n = 40;
    await bus.publishBatch(jobs(n, keys));
    await waitFor(
      () => done === n,
      () => `${n} handled, got ${done}`,
    );
    expect(overlapSameKey).toBe(0);
    for (const [i, key] of keys.entries()) {
      const want = [...Array(n).keys()].filter((seq) => seq % keys.length === i);
      expect(perKey.get(key), `order of key ${key}`).toEqual(want);
    }
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });

  it('backpressure: never more than concurrency handlers in flight, pending stays bounded', async () => {
    const { bus } = h();
    const concurrency = 3;
    const batchSize = 5;
    let inFlight = 0;
    let maxInFlight = 0;
    let done = 0;
    const n = 60;
    await bus.publishBatch(jobs(n));
    bus.subscribe(
      'workers',
      {
        'job.requested': async () => {
          maxInFlight = Math.max(maxInFlight, ++inFlight);
          await busyFor(4);
          inFlight--;
          done++;
        },
      },
      { consumer: 'bp', concurrency, batchSize },
    );
    let maxPending = 0;
    await waitFor(
      async () => {
        maxPending = Math.max(maxPending, (await inspectGroup(bus, 'jobs', 'workers')).pending);
        return done >= n;
      },
      () => `${n} handled, got ${done}`,
      { intervalMs: 2 },
    );
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    expect(maxInFlight).toBe(concurrency);
    expect(maxPending).toBeGreaterThan(0);
    expect(maxPending).toBeLessThanOrEqual(concurrency + batchSize);
  });
}
