/**
 * Scenario c's negative control: the same kills of redis-server under load,
 * with persistence off (`--save ''`, `appendonly no`). Each restart comes
 * back empty: the acknowledged events no consumer had read yet are gone —
 * the server's right, and what README "Durability" says. The checker must
 * see that loss (if it did not, it could not see one in scenario c either).
 *
 * Issue 11 item 1 adds a loss signal (a server that came back empty or with
 * a new run id while the bus held state); until it exists the assertion on
 * it is a TODO below.
 */
import { describe, expect, it } from 'vitest';
import { withGroups } from '../support/catalog-overrides.js';
import { testCatalog, useRedisServer } from '../support/redis-bus.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { killRedisUnderLoad } from './support/redis-kills.js';
import { FaultScenario } from './support/scenario.js';

const server = useRedisServer({ appendOnly: false });

describe('scenario c, negative control: redis-server without persistence killed five times under load', () => {
  it('acknowledged events are lost, and the checker counts them', {
    timeout: 120_000,
  }, async () => {
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 1000 }));
    const s = new FaultScenario('c. control: kill -9 x5, no persistence', server(), catalog);
    const group = 'workers';
    const kills = 5;
    // One consumer reading 10 at a time, slower than the publisher: a backlog waits in Redis.
    const { consumers, restartedAt } = await killRedisUnderLoad(s, {
      group,
      kills,
      consumers: 1,
      concurrency: 2,
      batchSize: 10,
      workMs: [5, 15],
      backlog: 40,
      ratePerSecond: 300,
    });
    await s.settled(group, { timeoutMs: 40_000 });
    await s.terminate(consumers);
    const consumerStats = [...s.ledger.stats()]
      .filter(([worker]) => worker !== 'p')
      .map(([, stats]) => stats);
    const counts = s.report(group, {
      stored: await s.stored(group),
      notes: `${kills} kills of redis-server; consumer stats().lost ${consumerStats.map((st) => st.lost).join(', ')}`,
    });
    expect(counts.lost).toBeGreaterThanOrEqual(kills); // at least one backlog per kill, gone
    expectHonestPublishes(counts);
    // What is lost is what the server held when it was killed: of the events acknowledged
    // after the last restart, none.
    const lastRestart = restartedAt.at(-1)!;
    const afterLastRestart = s.check(group, { exempt: (acked) => acked.at < lastRestart });
    expectNoneLost(afterLastRestart);
    // TODO(issue 11 item 1, loss signal; on main since 065f999): when merging, let the workers
    // report bus.onError (tests/faults/workers/report.ts: a 'log' record with the error's name)
    // and assert the signal here:
    //   expect(consumerStats.some((st) => (st.dataLoss ?? 0) > 0)).toBe(true);
    //   expect(s.ledger.records.some((r) => r.kind === 'log' && /DataLossError/.test(r.msg))).toBe(true);
    // (stats() reaches the ledger whole, so `dataLoss` is there once the bus counts it).
  });

  it.todo(
    'raises the loss signal (bus.stats().dataLoss, an error event, an inspect() flag) when Redis comes back empty or with a new run id',
  );
});
