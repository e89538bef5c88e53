/**
 * Sharp edge "Deleted while pending": an entry deleted (XDEL) or trimmed while
 * it is pending comes back from XCLAIM as nothing and from `XREADGROUP ... 0`
 * as `[id, nil]`. Each is counted `lost` and acked; the consumer goes on.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { withGroups } from '../support/catalog-overrides.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, deferred, waitFor } from '../support/wait.js';

const server = useRedisServer();

/** Subscribes a consumer whose handler never settles, waits until it holds `n` events, then "kills" it. */
async function holdAndDie(
  bus: ReturnType<typeof newBus>,
  consumer: string,
  n: number,
): Promise<number[]> {
  const held: number[] = [];
  const sub = bus.subscribe(
    'workers',
    {
      'job.requested': async (event: Envelope<Job>) => {
        held.push(event.data.seq);
        await new Promise(() => {});
      },
    },
    { consumer, concurrency: n, batchSize: n },
  );
  await collect(held, n);
  await sub.close({ timeoutMs: 0 });
  return held;
}

describe('entries deleted while pending', () => {
  it('are counted lost when a claimer finds them gone (XCLAIM drops them), and the rest is handled', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    const published = await bus.publishBatch(jobs(3));
    await holdAndDie(bus, 'dead', 3);
    await admin.xdel(key, published[1]!.entryId!);
    const handled: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void handled.push(event.data.seq) },
      { consumer: 'survivor' },
    );
    await collect(handled, 2);
    await waitFor(
      async () => (await admin.xpending(key, 'workers'))[0] === 0,
      () => 'PEL empty',
    );
    expect(handled.sort()).toEqual([0, 2]);
    expect(bus.stats().lost).toBe(1);
    // The consumer goes on with new events.
    await bus.publishBatch(jobs(1));
    await collect(handled, 3);
  });

  it('are counted lost when the re-read of its own pending list returns [id, nil]', async () => {
    // claimIdleMs far away: only the re-read at start can bring the held events back this fast.
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 600_000 }));
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    const published = await bus.publishBatch(jobs(3));
    await holdAndDie(bus, 'same-name', 3);
    await admin.xdel(key, published[0]!.entryId!);
    const handled: Array<{ seq: number; attempt: number }> = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>, ctx) =>
          void handled.push({ seq: event.data.seq, attempt: ctx.attempt }),
      },
      { consumer: 'same-name' },
    );
    await collect(handled, 2);
    await waitFor(
      async () => (await admin.xpending(key, 'workers'))[0] === 0,
      () => 'PEL empty',
    );
    expect(handled.map((h) => h.seq).sort()).toEqual([1, 2]);
    // The history read counts as a delivery: these are second attempts.
    expect(handled.every((h) => h.attempt === 2)).toBe(true);
    expect(bus.stats().lost).toBe(1);
  });

  it('are counted lost when an operator trimmed them (XTRIM) while pending', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.publishBatch(jobs(2));
    await holdAndDie(bus, 'dead', 2);
    await admin.xtrim(key, 'MAXLEN', 0);
    bus.subscribe('workers', { 'job.requested': async () => {} }, { consumer: 'survivor' });
    await waitFor(
      () => bus.stats().lost === 2,
      () => `2 lost, got ${bus.stats().lost}`,
    );
    await waitFor(
      async () => (await admin.xpending(key, 'workers'))[0] === 0,
      () => 'PEL empty',
    );
  });
});

describe('entries deleted while a live consumer holds them', () => {
  it('are counted lost, not reported as taken over, when the stream is deleted (DEL) under the consumer', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger });
    const admin = server().client();
    await bus.bootstrap();
    await bus.publishBatch(jobs(5));
    const release = deferred();
    const started: number[] = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>) => {
          started.push(event.data.seq);
          await release.promise;
        },
      },
      { consumer: 'holder', concurrency: 1, batchSize: 5 },
    );
    await collect(started, 1);
    await waitFor(
      async () =>
        ((await admin.xpending(catalog.streams.jobs!.key, 'workers')) as [number])[0] === 5,
      () => 'holder holding 5 entries',
    );
    await admin.del(catalog.streams.jobs!.key);
    // The heartbeat finds the 4 waiting entries gone from the stream.
    await waitFor(
      () => bus.stats().lost >= 4,
      () =>
        `4 entries counted lost, stats ${JSON.stringify(bus.stats())}; logs ${JSON.stringify(logger.records.slice(-3))}`,
    );
    release.resolve();
    expect(bus.stats().lost).toBe(4);
    expect(logger.matching(/taken over/)).toEqual([]);
    expect(started).toEqual([0]);
  });
});
