/**
 * Scenario c's negative control: the same kills of redis-server under load,
 * with persistence off (`--save ''`, `appendonly no`). Each restart comes
 * back empty: the acknowledged events no consumer had read yet are gone —
 * the server's right, and what README "Durability" says. The checker must
 * see that loss (if it did not, it could not see one in scenario c either).
 * And the bus must say so: every consumer that had seen entries raises the
 * loss signal after the reconnect (a DataLossError on bus.onError, logged as
 * an error, counted in stats().dataLoss).
 */
import { describe, expect, it } from 'vitest';
import { withGroups } from '../support/catalog-overrides.js';
import { testCatalog, useRedisServer } from '../support/redis-bus.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { killRedisUnderLoad } from './support/redis-kills.js';
import { FaultScenario } from './support/scenario.js';

const server = useRedisServer({ appendOnly: false });

describe('scenario c, negative control: redis-server without persistence killed five times under load', () => {
  it('acknowledged events are lost, the checker counts them, and the bus raises the loss signal', {
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
    // The loss signal: counted by the consumers, and logged (the workers report the bus's errors).
    expect(consumerStats.some((st) => (st.dataLoss ?? 0) > 0)).toBe(true);
    expect(
      s.ledger.records.some(
        (r) => r.kind === 'log' && r.level === 'error' && /came back without entries/.test(r.msg),
      ),
    ).toBe(true);
  });
});
