/**
 * Scenario f of the fault suite: a stream with a small `maxLen` while one of
 * its two groups is stopped (its consumer process SIGSTOPped, holding
 * entries). Retention spares what the stopped group has not acked until the
 * hard cap (`hardCapFactor` x maxLen); past it, the publisher trims anyway
 * and says so (`retentionForced`, the `retention forced` log). The running
 * group loses nothing; the stopped one loses at most what was force-trimmed,
 * and the checker counts it.
 */
import { describe, expect, it } from 'vitest';
import { withRetention } from '../support/catalog-overrides.js';
import { testCatalog, useRedisServer } from '../support/redis-bus.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { FaultScenario } from './support/scenario.js';

const server = useRedisServer();

const MAX_LEN = 200;
const HARD_CAP_FACTOR = 5;

describe('scenario f: MAXLEN trimming while one group is stopped, through the hard cap', () => {
  it('the running group loses nothing; the stopped one loses what the hard cap trimmed, signalled and counted', {
    timeout: 90_000,
  }, async () => {
    const catalog = testCatalog((c) => withRetention(c, 'jobs', { maxLen: MAX_LEN }));
    const s = new FaultScenario(
      `f. maxLen ${MAX_LEN}, hard cap x${HARD_CAP_FACTOR}, one group stopped`,
      server(),
      catalog,
    );
    const running = s.consumer('running', { group: 'workers' });
    const stopped = s.consumer('stopped', { group: 'quiet', batchSize: 20 });
    // Both groups read before the first publish: only the stopped one may lag past the cap.
    await Promise.all([s.ready(running), s.ready(stopped)]);
    const publisher = s.publisher('p', {
      count: 3 * MAX_LEN * HARD_CAP_FACTOR,
      ratePerSecond: 300,
      inflight: 4,
      retention: { hardCapFactor: HARD_CAP_FACTOR },
    });
    await s.handled('quiet', s.random.int(20, 100));
    stopped.pause();
    await publisher.exited;
    stopped.resume();
    await s.drained('workers');
    await s.settled('quiet');
    await s.terminate([running, stopped]);
    const forcedLogs = s.ledger.logs(/^retention forced/);
    const forcedRemoved = forcedLogs
      .map((msg) => Number(/(\d+) entries were trimmed/.exec(msg)?.[1] ?? 0))
      .reduce((a, b) => a + b, 0);
    const stats = s.ledger.stats();
    const publisherForced = stats.get('p')?.retentionForced ?? 0;
    const stopLost = stats.get('stopped')?.lost ?? 0;
    const stored = await s.stored('workers');
    const notes = `retention forced ${publisherForced} times, ${forcedRemoved} entries force-trimmed`;
    const runningCounts = s.report('workers', { stored, notes });
    const stoppedCounts = s.report('quiet', {
      stored,
      notes: `${notes}; the stopped consumer's stats().lost ${stopLost} (held entries trimmed)`,
    });
    expectHonestPublishes(runningCounts);
    expectNoneLost(runningCounts);
    expect(publisherForced).toBeGreaterThan(0);
    expect(forcedLogs.length).toBe(publisherForced);
    expect(stoppedCounts.lost).toBeGreaterThan(0);
    // Whatever the stopped group lost was force-trimmed, and counted in the signal.
    expect(stoppedCounts.lost).toBeLessThanOrEqual(forcedRemoved);
  });
});
