/**
 * Sharp edge "Durability is the server's setting": with `appendonly yes` +
 * `appendfsync always`, redis-server killed with SIGKILL in the middle of a
 * stream of publishes and restarted loses no publish that resolved: once in
 * process, and five times under load with publisher and consumer processes
 * (scenario c of the fault suite; its negative control, without
 * persistence, is redis-restart-volatile.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { PublishOutcomeUnknownError } from '../../runtime/errors.js';
import type { Job } from '../contract/helpers.js';
import { withGroups } from '../support/catalog-overrides.js';
import { eventIdOf } from '../support/entries.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';
import { expectHonestPublishes, expectNoneLost } from './support/expectations.js';
import { killRedisUnderLoad } from './support/redis-kills.js';
import { FaultScenario } from './support/scenario.js';

const server = useRedisServer({ appendOnly: true });

describe('redis-server killed with SIGKILL and restarted (appendonly yes, appendfsync always)', () => {
  it('keeps every publish that resolved; the consumer goes on and handles them all', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const signals: Error[] = [];
    bus.onError((error) => signals.push(error));
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    const handled = new Set<string>();
    let deliveries = 0;
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>) => {
          deliveries++;
          handled.add(event.id);
        },
      },
      { blockMs: 200 },
    );
    const total = 300;
    const resolved: string[] = [];
    const unknown: string[] = [];
    const failed: string[] = [];
    const publishing = (async () => {
      for (let seq = 0; seq < total; seq++) {
        try {
          const p = await bus.publish('job.requested', { jobId: `job-${seq}`, key: 'k', seq });
          resolved.push(p.id);
        } catch (error) {
          if (error instanceof PublishOutcomeUnknownError) unknown.push(String(seq));
          else failed.push(`${seq}: ${(error as Error).message}`);
        }
      }
    })();
    await waitFor(
      () => resolved.length >= 100,
      () => `100 publishes resolved, got ${resolved.length}`,
    );
    await server().kill9();
    const resolvedBeforeKill = resolved.length;
    await server().restart();
    await publishing;

    const admin = server().client();
    const entries = (await admin.xrange(key, '-', '+')) as [string, string[]][];
    const stored = new Set(entries.map(([, fields]) => eventIdOf(fields)));
    const missing = resolved.filter((id) => !stored.has(id) && !handled.has(id));
    expect(missing).toEqual([]);
    await waitFor(
      () => resolved.every((id) => handled.has(id)),
      () =>
        `all ${resolved.length} resolved publishes handled, ${resolved.filter((id) => !handled.has(id)).length} not yet`,
      { timeoutMs: 20_000 },
    );
    await waitFor(
      async () => (await admin.xpending(key, 'workers'))[0] === 0,
      () => 'PEL empty',
    );
    expect(failed).toEqual([]);
    // The server kept everything: the bus's check after the reconnect raised no loss signal.
    expect(signals).toEqual([]);
    expect(bus.stats().dataLoss).toBe(0);
    console.log(
      `kill -9 after ${resolvedBeforeKill} resolved: ${resolved.length}/${total} resolved, ${unknown.length} outcome unknown, ` +
        `${entries.length} entries with ${stored.size} distinct ids stored, missing 0, handled ${handled.size} (${deliveries - handled.size} redeliveries)`,
    );
  });
});

describe('scenario c: redis-server killed with SIGKILL five times under load (appendonly yes, appendfsync always)', () => {
  it('loses no acknowledged publish; outcome-unknown publishes and redeliveries are counted', {
    timeout: 120_000,
  }, async () => {
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 1000 }));
    const s = new FaultScenario(
      'c. kill -9 of redis-server x5, appendfsync always',
      server(),
      catalog,
    );
    const group = 'workers';
    const kills = 5;
    const { consumers } = await killRedisUnderLoad(s, {
      group,
      kills,
      consumers: 2,
      ratePerSecond: 300,
    });
    await s.drained(group, { timeoutMs: 40_000 });
    const stored = await s.stored(group);
    await s.terminate(consumers);
    const counts = s.report(group, { stored, notes: `${kills} kills of redis-server` });
    expectNoneLost(counts);
    expectHonestPublishes(counts);
  });
});
