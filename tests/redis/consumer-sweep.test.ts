/**
 * Consumers left behind by crashes or by closes that could not reach Redis
 * are removed once idle past idleConsumerTimeoutMs with nothing pending;
 * one holding entries never is (its entries would be lost to every claimer).
 */
import { describe, expect, it } from 'vitest';
import { jobs } from '../contract/helpers.js';
import { withGroups } from '../support/catalog-overrides.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

describe('idle consumers', () => {
  it('are removed when they hold nothing; a consumer holding entries stays', async () => {
    // Nobody claims the holder's entry during the test: it holds it throughout.
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 600_000 }));
    const key = catalog.streams.jobs!.key;
    const admin = server().client();
    const bus = newBus(server(), catalog, { idleConsumerTimeoutMs: 200 });
    await bus.bootstrap();
    // 15 names left by crashed processes, and one that crashed holding an entry.
    for (let i = 0; i < 15; i++) await admin.xgroup('CREATECONSUMER', key, 'workers', `gone-${i}`);
    await bus.publishBatch(jobs(1));
    await admin.xreadgroup('GROUP', 'workers', 'holder', 'COUNT', 1, 'STREAMS', key, '>');
    const names = async () =>
      ((await admin.xinfo('CONSUMERS', key, 'workers')) as unknown[][]).map((c) => String(c[1]));
    expect(await names()).toHaveLength(16);

    bus.subscribe('workers', { 'job.requested': async () => {} }, { consumer: 'live' });
    let seen: string[] = [];
    await waitFor(
      async () => {
        seen = await names();
        return seen.length === 2;
      },
      () => `only live and holder left, got ${JSON.stringify(seen)}`,
    );
    expect((await names()).sort()).toEqual(['holder', 'live']);
    const [pending] = (await admin.xpending(key, 'workers')) as [number];
    expect(pending).toBe(1);
  });
});
