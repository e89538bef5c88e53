/**
 * Consumer bookkeeping on Redis:
 * - sharp edge "Never XGROUP DELCONSUMER a consumer with pending entries";
 * - sharp edge "Dead-lettering must be atomic and XADD-before-XACK": under
 *   `maxmemory` the DLQ's XADD fails and nothing is acked, so the entry is
 *   dead-lettered later instead of lost;
 * - acks travel with the next read on the reader connection.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { NonRetryableError } from '../../runtime/errors.js';
import { type Job, jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, deferred, waitFor } from '../support/wait.js';

const server = useRedisServer();

async function consumerNames(
  admin: ReturnType<ReturnType<typeof server>['client']>,
  key: string,
  group: string,
) {
  const rows = (await admin.xinfo('CONSUMERS', key, group)) as string[][];
  return rows.map((row) => row[row.indexOf('name') + 1]);
}

describe('consumer lifecycle', () => {
  it('close() removes a consumer from its group only when it holds no pending entry', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    const started: number[] = [];
    const stuck = bus.subscribe(
      'workers',
      {
        'job.requested': async (e: Envelope<Job>) => {
          started.push(e.data.seq);
          await new Promise(() => {});
        },
      },
      { consumer: 'stuck' },
    );
    await bus.publishBatch(jobs(1));
    await collect(started, 1);
    const idle = bus.subscribe(
      'workers',
      { 'job.requested': async () => {} },
      { consumer: 'idle' },
    );
    await waitFor(async () => (await consumerNames(admin, key, 'workers')).includes('idle'));
    await Promise.all([idle.close({ timeoutMs: 0 }), stuck.close({ timeoutMs: 0 })]);
    // The one holding the entry stays, so a claimer can still take it over; the other is gone.
    expect(await consumerNames(admin, key, 'workers')).toEqual(['stuck']);
    expect((await admin.xpending(key, 'workers'))[0]).toBe(1);
  });

  it('under maxmemory the DLQ move fails as a whole (XADD before XACK): the entry stays pending, then is dead-lettered', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    const gate = deferred();
    const attempts: number[] = [];
    bus.subscribe('workers', {
      'job.requested': async (_e, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt === 1) await gate.promise;
        throw new NonRetryableError('poison');
      },
    });
    await bus.publishBatch(jobs(1));
    await collect(attempts, 1);
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    onCleanup(async () => {
      await admin.config('SET', 'maxmemory', '0');
    });
    gate.resolve();
    await waitFor(
      () => logger.matching(/could not dead-letter/).length > 0,
      () => 'the failed DLQ move logged',
    );
    const [failure] = logger.matching(/could not dead-letter/);
    expect(String((failure?.obj as { error?: string } | undefined)?.error)).toMatch(/OOM/);
    expect(await admin.xlen(catalog.streams.jobs!.dlqKey)).toBe(0);
    expect((await admin.xpending(key, 'workers'))[0]).toBe(1); // not acked: not lost
    await admin.config('SET', 'maxmemory', '0');
    // Taken again after claimIdleMs, fails again, and this time reaches the DLQ.
    await waitFor(
      async () => (await bus.dlq('jobs').count()) === 1,
      () => 'the entry in the DLQ',
    );
    const [letter] = await bus.dlq('jobs').list();
    expect(letter).toMatchObject({
      reason: 'non-retryable',
      attempts: 2,
      error: 'NonRetryableError: poison',
    });
    expect((await admin.xpending(key, 'workers'))[0]).toBe(0);
    expect(attempts).toEqual([1, 2]);
  });

  it('acks go out pipelined with the next read, on the reader connection', async () => {
    const catalog = testCatalog();
    // A long timer: only the next read can carry the acks.
    const bus = newBus(server(), catalog, { ackIntervalMs: 60_000 });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    const monitor = await server().client().monitor();
    onCleanup(() => void monitor.disconnect());
    const commands: Array<{ name: string; source: string }> = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args.includes(key)) commands.push({ name: String(args[0]).toLowerCase(), source });
    });
    const handled: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (e: Envelope<Job>) => void handled.push(e.data.seq) },
      { consumer: 'piped', batchSize: 2, blockMs: 100 },
    );
    await bus.publishBatch(jobs(6));
    await collect(handled, 6);
    await waitFor(
      async () => (await admin.xpending(key, 'workers'))[0] === 0,
      () => 'all acked',
    );
    const readers = new Set(commands.filter((c) => c.name === 'xreadgroup').map((c) => c.source));
    const ackSources = new Set(commands.filter((c) => c.name === 'xack').map((c) => c.source));
    expect(ackSources.size).toBeGreaterThan(0);
    for (const source of ackSources) expect(readers.has(source)).toBe(true);
    // Each XACK is followed by an XREADGROUP from the same connection.
    const fromReader = commands.filter((c) => readers.has(c.source)).map((c) => c.name);
    for (let i = 0; i < fromReader.length; i++) {
      if (fromReader[i] === 'xack') expect(fromReader[i + 1]).toBe('xreadgroup');
    }
  });
});
