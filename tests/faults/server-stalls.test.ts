/**
 * Scenario d of the fault suite: the server stalls while publishers run —
 * `DEBUG SLEEP` (nothing answers) and `CLIENT PAUSE ... WRITE` (writes
 * wait). The publisher's connection has a `commandTimeout` shorter than the
 * stalls, so publishes in flight fail as "outcome unknown"; it publishes
 * again with the same id (`idempotentPublish`). No publish promise may hang,
 * no event may be stored twice, none acknowledged may be lost. A second
 * publisher does not retry: the table shows how many of its outcome-unknown
 * publishes were stored after all.
 */
import { describe, expect, it } from 'vitest';
import { testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { FaultScenario } from './support/scenario.js';

const server = useRedisServer({ config: { 'enable-debug-command': 'yes' } });

describe('scenario d: DEBUG SLEEP and CLIENT PAUSE WRITE while publishing', () => {
  it('no publish hangs; outcome-unknown publishes retried with the same id are stored once', {
    timeout: 90_000,
  }, async () => {
    const s = new FaultScenario(
      'd. DEBUG SLEEP x3, CLIENT PAUSE WRITE x2',
      server(),
      testCatalog(),
    );
    const group = 'workers';
    const admin = server().client();
    const consumer = s.consumer('c0', { group });
    const publisher = s.publisher('p', {
      count: 10_000,
      ratePerSecond: 300,
      inflight: 4,
      idempotent: true,
      retryUnknown: 5,
      commandTimeoutMs: 250,
    });
    // A second publisher gives up at the first "outcome unknown": were those events stored?
    const oneTry = s.publisher('q', {
      count: 10_000,
      ratePerSecond: 100,
      inflight: 2,
      commandTimeoutMs: 250,
    });
    await Promise.all([s.ready(consumer), s.ready(publisher), s.ready(oneTry)]);
    const stalls = ['sleep', 'pause', 'sleep', 'pause', 'sleep'] as const;
    for (const stall of stalls) {
      const before = s.ledger.acknowledged;
      const progress = s.random.int(100, 250);
      await waitFor(
        () => s.ledger.acknowledged >= before + progress,
        () => `${progress} more publishes acknowledged before the next stall`,
        { timeoutMs: 30_000 },
      );
      const ms = s.random.int(500, 1000);
      if (stall === 'sleep') await admin.call('DEBUG', 'SLEEP', (ms / 1000).toFixed(3));
      else await admin.call('CLIENT', 'PAUSE', String(ms), 'WRITE');
    }
    const after = s.ledger.acknowledged;
    await waitFor(
      () => s.ledger.acknowledged >= after + 100,
      () => 'publishing again after the last stall',
      { timeoutMs: 30_000 },
    );
    await s.terminate([publisher, oneTry]); // every publish settled: none hangs
    await s.drained(group);
    const unknownTries = s.ledger.records.filter(
      (r) => r.kind === 'failed' && r.outcome === 'unknown',
    );
    const retriedIds = new Set(
      unknownTries.flatMap((r) => (r.kind === 'failed' && r.worker === 'p' ? [r.eventId] : [])),
    );
    const counts = s.report(group, {
      stored: await s.stored(group),
      notes:
        `${stalls.length} stalls of 0.5-1 s, publishers' commandTimeout 250 ms; p: ${retriedIds.size} ids had outcome-unknown tries, ` +
        `each published again with its id (idempotentPublish) until acknowledged; q: no retry, its unknown outcomes are the column`,
    });
    expectHonestPublishes(counts);
    expectNoneLost(counts);
    expect(counts.storedTwice).toBe(0);
    // The stalls did make publishes fail as "outcome unknown": p retried them, q did not.
    expect(retriedIds.size).toBeGreaterThan(0);
    expect(counts.unknown).toBeGreaterThan(0);
  });
});
