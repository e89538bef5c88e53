/**
 * A consumer process stopped (SIGSTOP) past claimIdleMs, then resumed: while
 * it was stopped another consumer took over what it held and handled it.
 * Resumed, it must not start any of those entries (its handler that was
 * running when it stopped finishes: that one may be handled twice, as
 * at-least-once allows); it asks Redis whether it still owns an entry it has
 * held that long before starting it. Scenario b of the fault suite runs it
 * under load with the ledger, and its heartbeat variant: a handler longer
 * than claimIdleMs is not taken from a live consumer.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { withGroups } from '../support/catalog-overrides.js';
import { startFixture } from '../support/child-process.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import type { Handling } from './support/ledger-records.js';
import { FaultScenario } from './support/scenario.js';

const server = useRedisServer();
const fixture = new URL('./fixtures/consumer-process.ts', import.meta.url);

type Line = { seq?: number; log?: string };

describe('a consumer process stopped past claimIdleMs and resumed', () => {
  it('starts none of the entries another consumer took over meanwhile', async () => {
    const catalog = testCatalog();
    const claimIdleMs = catalog.streams.jobs!.groups.workers!.claimIdleMs;
    const bus = newBus(server(), catalog);
    const admin = server().client();
    await bus.bootstrap();
    const total = 10;
    await bus.publishBatch(jobs(total));
    const paused = startFixture(fixture, {
      REDIS_URL: server().url,
      SCHEMABUS_CATALOG: JSON.stringify(catalog),
      GROUP: 'workers',
      CONSUMER: 'paused',
      MODE: 'slow',
      HOLD_MS: String(claimIdleMs),
      CONCURRENCY: '1',
      BATCH_SIZE: String(total),
    });
    onCleanup(() => {
      paused.child.kill('SIGCONT');
      return paused.kill9();
    });
    const started = () => (paused.lines as Line[]).filter((l) => l.seq !== undefined);
    await waitFor(
      () => started().length === 1,
      () => `the paused consumer started its first event; stderr: ${paused.stderr()}`,
    );
    await waitFor(
      async () => {
        const [count] = (await admin.xpending(catalog.streams.jobs!.key, 'workers')) as [number];
        return count === total;
      },
      () => 'the paused consumer holding every entry',
    );
    paused.child.kill('SIGSTOP');

    const survivor: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void survivor.push(event.data.seq) },
      { consumer: 'survivor', concurrency: 4 },
    );
    await collect(survivor, total);
    paused.child.kill('SIGCONT');
    // Resumed, it learns that the entries it held were taken over (or, once the survivor
    // acked them, are not pending any more): one line each.
    const released = /taken over|not pending any more/;
    await waitFor(
      () => (paused.lines as Line[]).filter((l) => released.test(l.log ?? '')).length >= total - 1,
      () =>
        `the resumed consumer released the ${total - 1} entries it had not started; lines: ${JSON.stringify(paused.lines)}`,
    );
    expect(started()).toHaveLength(1);
    expect([...survivor].sort((a, b) => a - b)).toEqual([...Array(total).keys()]);
  });
});

/** The handler records of `worker` (or of every worker) in the ledger. */
const handlings = (s: FaultScenario, worker?: string): Handling[] =>
  (worker === undefined ? s.ledger.records : s.ledger.of(worker)).filter(
    (r): r is Handling => 'group' in r,
  );

/** The consumer names that hold pending entries of `group` now. */
async function holders(s: FaultScenario, group: string): Promise<string[]> {
  const [, , , consumers] = (await s.server.client().xpending(s.streamKey(group), group)) as [
    number,
    string,
    string,
    [string, string][] | null,
  ];
  return (consumers ?? []).map(([name]) => name);
}

describe('scenario b: a consumer process stopped past claimIdleMs under load, and long handlers', () => {
  it('SIGSTOP then SIGCONT: its entries are taken over; resumed, it starts none of them', {
    timeout: 90_000,
  }, async () => {
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 1000 }));
    const s = new FaultScenario('b. SIGSTOP past claimIdleMs, SIGCONT', server(), catalog);
    const group = 'workers';
    const work = { kind: 'sleep', minMs: 20, maxMs: 60 } as const;
    const paused = s.consumer('paused', { group, concurrency: 4, batchSize: 20, work });
    const survivor = s.consumer('survivor', { group, concurrency: 4, work });
    const publisher = s.publisher('p', { count: 3000, ratePerSecond: 150 });
    await Promise.all([s.ready(paused), s.ready(survivor)]);
    await s.handled(group, s.random.int(50, 150));
    await waitFor(
      () => s.ledger.inFlight('paused') > 0,
      () => 'the consumer to stop running a handler',
      { intervalMs: 2 },
    );
    paused.pause();
    const pausedAt = Date.now();
    // The handlers it was running when it stopped: they may finish after it resumes (twice, then).
    const runningAtStop = s.ledger.inFlight('paused');
    await waitFor(
      async () => !(await holders(s, group)).includes('paused'),
      () => 'every entry the stopped consumer held taken over',
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    const resumedAt = Date.now();
    paused.resume();
    // Resumed and working again: it handles an event it started after the resume.
    await waitFor(
      () => {
        const own = handlings(s, 'paused');
        const startedAfter = new Set(
          own.filter((h) => h.kind === 'started' && h.at > resumedAt).map((h) => h.eventId),
        );
        return own.some((h) => h.kind === 'handled' && startedAfter.has(h.eventId));
      },
      () => 'the resumed consumer handling new events',
      { timeoutMs: 20_000 },
    );
    await publisher.terminate();
    await s.drained(group);
    // The resumed consumer must not start an entry another consumer took over (and started)
    // while it was stopped.
    const startedElsewhereBeforeResume = new Set(
      handlings(s)
        .filter((h) => h.kind === 'started' && h.worker !== 'paused' && h.at < resumedAt)
        .map((h) => h.eventId),
    );
    const startedAfterResume = handlings(s, 'paused').filter(
      (h) => h.kind === 'started' && h.at > resumedAt,
    );
    const takenOverStarts = startedAfterResume
      .filter((h) => startedElsewhereBeforeResume.has(h.eventId))
      .map((h) => h.eventId);
    // Any entry it started after the resume that another consumer started too (at any time).
    const startedElsewhere = new Set(
      handlings(s)
        .filter((h) => h.kind === 'started' && h.worker !== 'paused')
        .map((h) => h.eventId),
    );
    const lateStarts = startedAfterResume
      .filter((h) => startedElsewhere.has(h.eventId))
      .map((h) => h.eventId);
    const startedBeforeStop = new Set(
      handlings(s, 'paused')
        .filter((h) => h.kind === 'started' && h.at < pausedAt)
        .map((h) => h.eventId),
    );
    const released = s.ledger.logs(/taken over|not pending any more/).length;
    const counts = s.report(group, {
      stored: await s.stored(group),
      notes: (c) =>
        `${runningAtStop} handlers running at SIGSTOP, ${released} held entries released on resume, ` +
        `after resume it started ${takenOverStarts.length} entries another consumer had started, ` +
        `${lateStarts.length} another consumer also started; ` +
        `duplicates not started before the stop: ${c.duplicatedIds.filter((id) => !startedBeforeStop.has(id)).length}`,
    });
    /** The handlings of `ids`, times relative to the stop and the resume, for failure messages. */
    const trace = (ids: readonly string[]) =>
      JSON.stringify(
        handlings(s)
          .filter((h) => ids.includes(h.eventId))
          .map(
            (h) =>
              `${h.eventId} ${h.worker} ${h.kind} #${h.attempt} stop+${h.at - pausedAt} resume+${h.at - resumedAt}`,
          ),
      );
    expect(takenOverStarts, trace(takenOverStarts)).toEqual([]);
    expectNoneLost(counts);
    expectHonestPublishes(counts);
    expect(counts.recovered).toBeGreaterThan(0);
    // At-least-once: only events it had started before it stopped (running, or finished with
    // the ack not yet sent) may be handled twice.
    const otherDuplicates = counts.duplicatedIds.filter((id) => !startedBeforeStop.has(id));
    expect(otherDuplicates, trace(otherDuplicates)).toEqual([]);
    // Nor one of a read Redis served while it was stopped, processed after the resume: its
    // entries are verified before they start (their id's time is as old as the stop).
    expect(lateStarts, trace(lateStarts)).toEqual([]);
    expect(counts).toMatchObject({ notWritten: 0, unknown: 0, storedTwice: 0 });
  });

  it('heartbeats: a handler running longer than claimIdleMs is not taken from a live consumer', {
    timeout: 60_000,
  }, async () => {
    const claimIdleMs = 1500;
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs }));
    const s = new FaultScenario('b. heartbeat: handlers of 2-3 x claimIdleMs', server(), catalog);
    const group = 'workers';
    const slow = s.consumer('slow', {
      group,
      concurrency: 6,
      batchSize: 6,
      work: { kind: 'sleep', minMs: 2 * claimIdleMs, maxMs: 3 * claimIdleMs },
    });
    const quick = s.consumer('quick', {
      group,
      concurrency: 1,
      work: { kind: 'sleep', minMs: 50, maxMs: 100 },
    });
    await Promise.all([s.ready(slow), s.ready(quick)]);
    const publisher = s.publisher('p', { count: 30, ratePerSecond: 30 });
    await publisher.exited;
    await s.drained(group, { timeoutMs: 30_000 });
    const longOnes = handlings(s, 'slow').filter((h) => h.kind === 'handled');
    const starts = new Map<string, number>();
    for (const h of handlings(s)) {
      if (h.kind === 'started') starts.set(h.eventId, (starts.get(h.eventId) ?? 0) + 1);
    }
    const startedTwice = [...starts].filter(([, n]) => n > 1).map(([id]) => id);
    const counts = s.report(group, {
      stored: await s.stored(group),
      notes: `${longOnes.length} handlers longer than claimIdleMs, ${startedTwice.length} started twice`,
    });
    expect(longOnes.length).toBeGreaterThan(0);
    expect(startedTwice).toEqual([]);
    expect(counts).toMatchObject({ lost: 0, duplicated: 0, recovered: 0, acknowledged: 30 });
  });
});
