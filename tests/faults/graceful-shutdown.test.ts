/**
 * Scenario h of the fault suite: SIGTERM to a consumer process with 50
 * handlers in flight (and more entries fetched behind them). Its close
 * (`timeoutMs` 1 s) lets the handlers that finish in time finish and acks
 * them, abandons the others (their signal aborts) and leaves them pending
 * with the entries it never started; another consumer handles those after
 * claimIdleMs. Nothing is lost, nothing finished is handled twice.
 */
import { describe, expect, it } from 'vitest';
import { withGroups } from '../support/catalog-overrides.js';
import { testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { FaultScenario } from './support/scenario.js';

const server = useRedisServer();

const IN_FLIGHT = 50;
const CLOSE_TIMEOUT_MS = 1000;

describe('scenario h: SIGTERM of a consumer process with 50 handlers in flight', () => {
  it('finished handlers are acked, the rest is left pending and handled by another consumer', {
    timeout: 60_000,
  }, async () => {
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 1000 }));
    const s = new FaultScenario(
      `h. SIGTERM with ${IN_FLIGHT} handlers in flight`,
      server(),
      catalog,
    );
    const group = 'workers';
    // Its handlers run until SIGTERM, then finish after 0-2 s: about half within close's timeout.
    const victim = s.consumer('victim', {
      group,
      concurrency: IN_FLIGHT,
      batchSize: IN_FLIGHT + 20,
      work: { kind: 'until-term', afterTermMaxMs: 2 * CLOSE_TIMEOUT_MS },
      closeTimeoutMs: CLOSE_TIMEOUT_MS,
    });
    const publisher = s.publisher('p', { count: IN_FLIGHT + 30, ratePerSecond: 0, inflight: 4 });
    await waitFor(
      () => s.ledger.inFlight('victim') === IN_FLIGHT,
      () =>
        `${IN_FLIGHT} handlers in flight, got ${s.ledger.inFlight('victim')}; ${victim.stderr()}`,
      { timeoutMs: 30_000 },
    );
    const terminatedAt = Date.now();
    const terminated = victim.terminate();
    const survivor = s.consumer('survivor', { group, concurrency: 10 });
    await terminated;
    await publisher.exited;
    await s.drained(group);
    await s.terminate([survivor]);
    const of = (worker: string, kind: 'started' | 'handled' | 'abandoned') =>
      s.ledger.idsOf(worker, kind);
    const started = of('victim', 'started');
    const finished = of('victim', 'handled');
    const abandoned = of('victim', 'abandoned');
    const startedAfterTerm = s.ledger
      .of('victim')
      .filter((r) => r.kind === 'started' && r.at > terminatedAt).length;
    const counts = s.report(group, {
      stored: await s.stored(group),
      notes:
        `close: ${finished.length} finished and acked, ${abandoned.length} abandoned, ${startedAfterTerm} started after SIGTERM; ` +
        `${of('survivor', 'handled').length} handled by the survivor`,
    });
    expectHonestPublishes(counts);
    expectNoneLost(counts);
    // Every handler it started finished (and was acked) or was abandoned by the close.
    expect(finished.length + abandoned.length).toBe(started.length);
    // Nothing that waited started after SIGTERM (close drops the waiting entries first).
    expect(started).toHaveLength(IN_FLIGHT);
    expect(startedAfterTerm).toBe(0);
    expect(counts.duplicated).toBe(0); // what finished was acked
    const survivorHandled = new Set(of('survivor', 'handled'));
    expect(abandoned.filter((id) => !survivorHandled.has(id))).toEqual([]);
  });
});
