/**
 * Sharp edge "Delivery counter": Redis's PEL delivery count is the attempt
 * number; claims add one, JUSTID heartbeats do not, and a message whose
 * consumer dies on every delivery still ends in the DLQ after maxAttempts.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { withGroups } from '../support/catalog-overrides.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, deferred, waitFor } from '../support/wait.js';

const server = useRedisServer();

type PendingRow = [id: string, consumer: string, idle: number, deliveries: number];

describe('delivery counter', () => {
  it('a long handler keeps its entry: XCLAIM JUSTID heartbeats reset idle, not the count', async () => {
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 200 }));
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    const release = deferred();
    const onA: number[] = [];
    const onB: number[] = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>) => {
          onA.push(event.data.seq);
          await release.promise;
        },
      },
      { consumer: 'a' },
    );
    await bus.publishBatch(jobs(1));
    await collect(onA, 1);
    // b joins once a holds the event: b must not take it while a's handler runs.
    bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void onB.push(event.data.seq) },
      { consumer: 'b' },
    );
    // Watch the idle time of the held entry drop back (heartbeats) at least 3 times.
    let resets = 0;
    let lastIdle = -1;
    let row: PendingRow | undefined;
    await waitFor(
      async () => {
        [row] = (await admin.xpending(key, 'workers', '-', '+', 10)) as PendingRow[];
        if (row && row[2] < lastIdle) resets++;
        lastIdle = row?.[2] ?? -1;
        return resets >= 3;
      },
      () => `3 heartbeats, saw ${resets}; last row ${JSON.stringify(row)}`,
    );
    expect(row?.[1]).toBe('a');
    expect(row?.[3]).toBe(1);
    release.resolve();
    await waitFor(async () => (await admin.xpending(key, 'workers'))[0] === 0);
    expect(onA).toEqual([0]);
    expect(onB).toEqual([]);
  });

  it('retries claim the entry again only once idle for the backoff delay, one delivery more each time', async () => {
    const catalog = testCatalog((c) =>
      withGroups(c, 'jobs', {
        retry: { maxAttempts: 3, backoff: { initialMs: 150, factor: 2, maxMs: 1000, jitter: 0 } },
      }),
    );
    const bus = newBus(server(), catalog);
    const seen: Array<{ attempt: number; at: number }> = [];
    bus.subscribe('workers', {
      'job.requested': async (_event, ctx) => {
        seen.push({ attempt: ctx.attempt, at: Date.now() });
        throw new Error(`boom ${ctx.attempt}`);
      },
    });
    await bus.publishBatch(jobs(1));
    await waitFor(async () => (await bus.dlq('jobs').count()) === 1);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(150 - 5);
    expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(300 - 5);
    const [letter] = await bus.dlq('jobs').list();
    expect(letter).toMatchObject({ reason: 'exhausted', attempts: 3, error: 'boom 3' });
    expect(Date.parse(letter!.lastFailureAt)).toBeGreaterThan(Date.parse(letter!.firstFailureAt));
    // The failure record beside the stream is gone once the entry left the group.
    expect(await server().client().hlen(`${catalog.streams.jobs!.key}:failures`)).toBe(0);
  });
});
