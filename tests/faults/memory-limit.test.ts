/**
 * Scenario e of the fault suite: `maxmemory` with `noeviction` reached while
 * a publisher and a consumer run. Every refused publish must fail as a
 * `ConnectionError` (code OOM: nothing written, not "outcome unknown"), and
 * nothing may be stored behind a refusal; once the limit is raised, every
 * acknowledged publish is handled.
 */
import { describe, expect, it } from 'vitest';
import { testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { ackedSince } from './support/ledger.js';
import type { PublishFailed } from './support/ledger-records.js';
import { FaultScenario } from './support/scenario.js';

const server = useRedisServer();

describe('scenario e: maxmemory with noeviction reached under load', () => {
  it('every refusal is a ConnectionError (OOM), nothing is stored behind one, lost 0 after the limit is raised', {
    timeout: 90_000,
  }, async () => {
    const s = new FaultScenario('e. maxmemory noeviction under load', server(), testCatalog());
    const group = 'workers';
    const admin = server().client();
    const consumer = s.consumer('c0', { group });
    const publisher = s.publisher('p', {
      count: 20_000,
      ratePerSecond: 400,
      inflight: 4,
      padding: 1000,
    });
    await Promise.all([s.ready(consumer), s.ready(publisher)]);
    await waitFor(() => s.ledger.acknowledged >= 200);
    const used = Number(/used_memory:(\d+)/.exec((await admin.info('memory')) as string)![1]);
    const headroom = s.random.int(512, 1536) * 1024;
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', String(used + headroom));
    const refusals = () => s.ledger.records.filter((r): r is PublishFailed => r.kind === 'failed');
    try {
      await waitFor(
        () => refusals().length >= 100,
        () => `100 publishes refused, got ${refusals().length}`,
        { timeoutMs: 30_000 },
      );
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
    const raisedAt = Date.now();
    await waitFor(
      () => s.ledger.acknowledgedWhere(ackedSince(raisedAt)) >= 100,
      () => 'publishes acknowledged again after the limit was raised',
      { timeoutMs: 30_000 },
    );
    await publisher.terminate();
    await s.drained(group);
    const failures = refusals();
    const kinds = [
      ...new Set(
        failures.map((f) => `${f.error}: ${f.message.replace(/.*?: (OOM[^.]*).*/, '$1')}`),
      ),
    ];
    const counts = s.report(group, {
      stored: await s.stored(group),
      notes: `limit at used + ${headroom / 1024} KB; ${failures.length} refusals (${kinds.join(', ')}), then the limit raised`,
    });
    expectHonestPublishes(counts);
    expectNoneLost(counts);
    expect(counts.unknown).toBe(0);
    expect(counts.notWritten).toBeGreaterThanOrEqual(100);
    expect(kinds).toEqual([
      "ConnectionError: OOM command not allowed when used memory > 'maxmemory'",
    ]);
    expect(new Set(failures.map((f) => f.code))).toEqual(new Set(['OOM']));
  });
});
