/**
 * Scenario j of the fault suite: 50 consumer start/stop cycles while a
 * publisher and a steady consumer run. The cycles run in a few processes
 * (each cycle a new bus and a new consumer name), most ending with a clean
 * close, some with an abandoned close (a handler outlives the close timeout)
 * and some with the process killed (SIGKILL) while a handler runs. Nothing
 * acknowledged may be lost: what crashed and abandoned consumers held is
 * taken over.
 *
 * The consumers left behind (crashed, abandoned, closed with fetched entries
 * pending) are counted, then removed by the steady consumer's sweep once
 * idle past its idleConsumerTimeoutMs with nothing pending.
 */
import { describe, expect, it } from 'vitest';
import { withGroups } from '../support/catalog-overrides.js';
import { testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { FaultScenario } from './support/scenario.js';
import type { Random } from './support/seed.js';
import type { WorkerProcess } from './support/workers.js';

const server = useRedisServer();

const CYCLES = 50;

/** One cycler process: how many cycles, which one crashes (the last, or none), which one abandons. */
interface CyclerPlan {
  readonly cycles: number;
  readonly crashInCycle: number | null;
  readonly abandonIn: number[];
}

/** Splits CYCLES into processes of 6-12 cycles; most end with a crash, about half abandon a close. */
function planChurn(random: Random): CyclerPlan[] {
  const plans: CyclerPlan[] = [];
  let left = CYCLES;
  while (left > 0) {
    const cycles = Math.min(left, random.int(6, 12));
    left -= cycles;
    const crashInCycle = random.next() < 0.8 ? cycles - 1 : null;
    const abandonIn = random.next() < 0.5 ? [random.int(0, cycles - 2)] : [];
    plans.push({ cycles, crashInCycle, abandonIn });
  }
  return plans;
}

describe('scenario j: 50 consumer start/stop cycles with crashes mixed in', () => {
  it('loses nothing; consumers left behind are counted, then removed', {
    timeout: 120_000,
  }, async () => {
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 1000 }));
    const s = new FaultScenario(
      'j. 50 consumer start/stop cycles, crashes mixed in',
      server(),
      catalog,
    );
    const group = 'workers';
    const admin = server().client();
    const steady = s.consumer('steady', { group, idleConsumerTimeoutMs: 2000 });
    const publisher = s.publisher('p', { count: 20_000, ratePerSecond: 150 });
    await Promise.all([s.ready(steady), s.ready(publisher)]);
    const plans = planChurn(s.random);
    // Two cycler processes at a time: one starts while the other cycles.
    const running = new Set<Promise<void>>();
    const cyclers: WorkerProcess[] = [];
    for (const [i, plan] of plans.entries()) {
      if (running.size >= 2) await Promise.race(running);
      const cycler = s.cycler(`cycler${i}`, {
        group,
        prefix: `churn${i}`,
        perCycle: 4,
        workMs: 5,
        cycleDeadlineMs: 1000,
        closeTimeoutMs: 300,
        ...plan,
      });
      cyclers.push(cycler);
      const done: Promise<void> = cycler.exited.then(() => void running.delete(done));
      running.add(done);
    }
    await Promise.all(running);
    const crashed = cyclers.filter((_, i) => plans[i]!.crashInCycle !== null);
    for (const c of crashed) expect(await c.exited).toBe('SIGKILL');
    const cycles = s.ledger.records.filter((r) => r.kind === 'cycle').length + crashed.length;
    expect(cycles).toBe(CYCLES);
    await publisher.terminate();
    await s.drained(group, { timeoutMs: 40_000 });
    const stored = await s.stored(group);
    const consumers = (
      (await admin.xinfo('CONSUMERS', s.streamKey(group), group)) as unknown[][]
    ).map((c) => String(c[1]));
    const crashedNames = plans.flatMap((p, i) =>
      p.crashInCycle === null ? [] : [`churn${i}-${p.crashInCycle}`],
    );
    const abandonedNames = plans.flatMap((p, i) => p.abandonIn.map((c) => `churn${i}-${c}`));
    const left = (names: string[]) => consumers.filter((c) => names.includes(c)).length;
    const cleanLeft = consumers.length - 1 - left(crashedNames) - left(abandonedNames);
    const shortCycles = s.ledger.records.filter((r) => r.kind === 'cycle' && (r.detail ?? 0) < 4);
    const counts = s.report(group, {
      stored,
      notes:
        `${CYCLES} cycles in ${plans.length} processes: ${crashedNames.length} crashes, ${abandonedNames.length} abandoned closes, ` +
        `${shortCycles.length} cycles ended at their deadline; XINFO CONSUMERS ${consumers.length}: steady, ` +
        `${left(crashedNames)} crashed, ${left(abandonedNames)} abandoned, ${cleanLeft} closed cleanly with fetched entries left pending`,
    });
    expectHonestPublishes(counts);
    expectNoneLost(counts);
    expect(consumers).toContain('steady');
    // Once idle past the bound with nothing pending, the ones left behind are removed.
    let names = consumers;
    await waitFor(
      async () => {
        names = ((await admin.xinfo('CONSUMERS', s.streamKey(group), group)) as unknown[][]).map(
          (c) => String(c[1]),
        );
        return names.length === 1;
      },
      () => `only steady left in XINFO CONSUMERS, got ${JSON.stringify(names)}`,
      { timeoutMs: 30_000 },
    );
    expect(names).toEqual(['steady']);
  });
});
