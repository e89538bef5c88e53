/**
 * Crash recovery with real processes: a consumer process killed with SIGKILL
 * while it holds a batch, and an event that kills every process handling it.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { startFixture } from '../support/child-process.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();
const fixture = new URL('./fixtures/consumer-process.ts', import.meta.url);

interface Started {
  readonly seq: number;
  readonly id: string;
  readonly attempt: number;
}

/** The events a fixture started (its other lines are the bus's warnings). */
const starts = (lines: unknown[]) => lines.filter((l): l is Started => 'seq' in (l as object));

describe('a consumer process killed with SIGKILL', () => {
  it('leaves its batch pending; a survivor handles every event after claimIdleMs, none lost', async () => {
    const catalog = testCatalog();
    const claimIdleMs = catalog.streams.jobs!.groups.workers!.claimIdleMs;
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    const total = 20;
    await bus.publishBatch(jobs(total));
    const victim = startFixture(fixture, {
      REDIS_URL: server().url,
      SCHEMABUS_CATALOG: JSON.stringify(catalog),
      GROUP: 'workers',
      CONSUMER: 'victim',
      MODE: 'hold',
      CONCURRENCY: '4',
      BATCH_SIZE: '8',
    });
    onCleanup(() => victim.kill9());
    // It has started 4 handlers and fetched more behind them.
    await waitFor(
      () => starts(victim.lines).length >= 4,
      () =>
        `victim started 4 handlers, got ${starts(victim.lines).length}; stderr: ${victim.stderr()}`,
    );
    await waitFor(
      async () => {
        const [, , , consumers] = (await admin.xpending(key, 'workers')) as [
          number,
          string,
          string,
          [string, string][],
        ];
        return consumers?.find(([name]) => name === 'victim')?.[1] === '12';
      },
      () => 'victim holding 12 entries (4 running + 8 fetched)',
    );
    await victim.kill9();
    const killedAt = Date.now();
    const startedOnVictim = starts(victim.lines).map((s) => s.seq);

    const survivor: Array<{ seq: number; attempt: number; at: number }> = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>, ctx) =>
          void survivor.push({ seq: event.data.seq, attempt: ctx.attempt, at: Date.now() }),
      },
      { consumer: 'survivor', concurrency: 4 },
    );
    await collect(survivor, total);
    await waitFor(
      async () => (await admin.xpending(key, 'workers'))[0] === 0,
      () => 'PEL empty',
    );
    const seqs = survivor.map((s) => s.seq).sort((a, b) => a - b);
    expect(seqs).toEqual([...Array(total).keys()]); // every event once, none lost
    const taken = survivor.filter((s) => startedOnVictim.includes(s.seq));
    expect(taken).toHaveLength(startedOnVictim.length);
    for (const t of taken) {
      expect(t.attempt).toBe(2);
      // Idle counts from the victim's last heartbeat (every claimIdleMs / 3) before the kill.
      expect(t.at - killedAt).toBeGreaterThanOrEqual(
        claimIdleMs - Math.floor(claimIdleMs / 3) - 10,
      );
    }
    console.log(
      `SIGKILL mid-batch: victim started ${startedOnVictim.length} and held 12; survivor handled ${survivor.length}/${total}, lost 0, duplicates ${survivor.length - new Set(seqs).size}`,
    );
  });

  it('an event that kills every process handling it ends in the DLQ after maxAttempts deliveries', async () => {
    const catalog = testCatalog();
    const maxAttempts = catalog.streams.jobs!.groups.workers!.retry.maxAttempts;
    const bus = newBus(server(), catalog);
    await bus.bootstrap();
    await bus.publishBatch(jobs(1));
    const attempts: number[] = [];
    for (let i = 1; i <= maxAttempts; i++) {
      const doomed = startFixture(fixture, {
        REDIS_URL: server().url,
        SCHEMABUS_CATALOG: JSON.stringify(catalog),
        GROUP: 'workers',
        CONSUMER: `doomed-${i}`,
        MODE: 'crash',
      });
      onCleanup(() => doomed.kill9());
      expect(await doomed.exited, doomed.stderr()).toBe('SIGKILL');
      attempts.push(...starts(doomed.lines).map((s) => s.attempt));
    }
    expect(attempts).toEqual([...Array(maxAttempts).keys()].map((i) => i + 1));
    // The next consumer finds it delivered maxAttempts times and idle: DLQ, not a fifth crash.
    const handled: number[] = [];
    bus.subscribe('workers', {
      'job.requested': async (_e, ctx) => void handled.push(ctx.attempt),
    });
    await waitFor(
      async () => (await bus.dlq('jobs').count()) === 1,
      () => 'the poison event in the DLQ',
    );
    const [letter] = await bus.dlq('jobs').list();
    expect(letter).toMatchObject({ group: 'workers', reason: 'exhausted', attempts: maxAttempts });
    expect(handled).toEqual([]);
    console.log(
      `poison event: ${attempts.length} processes died on it (attempts ${attempts.join(',')}), then DLQ`,
    );
  });
});
