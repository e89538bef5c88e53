/**
 * A consumer process stopped (SIGSTOP) past claimIdleMs, then resumed: while
 * it was stopped another consumer took over what it held and handled it.
 * Resumed, it must not start any of those entries (its handler that was
 * running when it stopped finishes: that one may be handled twice, as
 * at-least-once allows); it asks Redis whether it still owns an entry it has
 * held that long before starting it.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { startFixture } from '../support/child-process.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';

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
