/**
 * Crash recovery with real processes: a consumer process killed with SIGKILL
 * while it holds a batch, an event that kills every process handling it,
 * and consumers killed one after another while publishers run (scenario a
 * of the fault suite: ledger and checker in tests/faults/support/).
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { withGroups } from '../support/catalog-overrides.js';
import { startFixture } from '../support/child-process.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { FaultScenario } from './support/scenario.js';
import type { WorkerProcess } from './support/workers.js';

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

  // Four processes started one after another: slow on a loaded machine.
  it('an event that kills every process handling it ends in the DLQ after maxAttempts deliveries', {
    timeout: 90_000,
  }, async () => {
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

describe('scenario a: consumer processes killed with SIGKILL in a loop while publishers run', () => {
  it('every acknowledged event is handled; redeliveries are counted', {
    timeout: 90_000,
  }, async () => {
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 1000 }));
    const s = new FaultScenario('a. kill -9 of consumers in a loop', server(), catalog);
    const group = 'workers';
    const work = { kind: 'sleep', minMs: 2, maxMs: 20 } as const;
    let started = 0;
    const startConsumer = () => s.consumer(`c${started++}`, { group, concurrency: 8, work });
    let live: WorkerProcess[] = [startConsumer(), startConsumer(), startConsumer()];
    await Promise.all(live.map((c) => s.ready(c)));
    const publisher = s.publisher('p', { count: 20_000, ratePerSecond: 250 });
    const kills = 6;
    for (let k = 0; k < kills; k++) {
      await s.handled(group, s.ledger.handled(group) + s.random.int(60, 200));
      // The victim: a consumer that is up (seeded pick) while another one is up too, caught
      // with a handler running.
      const up = await waitFor(
        () => {
          const ready = live.filter((c) => s.isReady(c));
          return ready.length >= 2 ? ready : undefined;
        },
        () => 'two consumers up',
        { timeoutMs: 30_000 },
      );
      const victim = s.random.pick(up);
      await waitFor(
        () => s.ledger.inFlight(victim.name) > 0,
        () => `${victim.name} running a handler`,
        { timeoutMs: 20_000, intervalMs: 2 },
      );
      await victim.kill9();
      live = [...live.filter((c) => c !== victim), startConsumer()];
    }
    await publisher.terminate();
    await s.drained(group, { timeoutMs: 40_000 });
    const counts = s.report(group, {
      stored: await s.stored(group),
      notes: `${kills} consumers killed, ${started} started`,
    });
    expectNoneLost(counts);
    expectHonestPublishes(counts);
    expect(counts).toMatchObject({ notWritten: 0, unknown: 0, storedTwice: 0 });
    expect(counts.recovered).toBeGreaterThan(0); // each victim had a handler running
  });
});
