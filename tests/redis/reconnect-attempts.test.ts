/**
 * The re-read of a consumer's own pending list after a reconnect must not
 * count deliveries: an entry being handled while the reader reconnects keeps
 * its delivery count, so flapping connections do not burn retry attempts (nor
 * send entries to the DLQ early). Across processes the count still grows: a
 * restarted consumer with the same name gets what its predecessor held as a
 * redelivery.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, deferred, waitFor } from '../support/wait.js';

const server = useRedisServer();

type PendingRow = [id: string, consumer: string, idle: number, deliveries: number];

/** Server-side ids of the clients named `name`. */
async function clientIds(admin: Redis, name: string): Promise<string[]> {
  const list = (await admin.client('LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /\bid=(\d+)/.exec(line)![1]!);
}

/**
 * Counts the own-pending-list re-reads of `consumer` Redis executes (seen with
 * MONITOR): `XPENDING key group - + n consumer`, or the former `XREADGROUP ... 0`.
 */
async function watchRereads(admin: Redis, consumer: string): Promise<() => number> {
  const monitor = await admin.monitor();
  onCleanup(() => monitor.disconnect());
  let count = 0;
  monitor.on('monitor', (_time: string, args: string[]) => {
    const name = args[0]?.toLowerCase();
    if (name === 'xpending' && args[6] === consumer) count++;
    if (name === 'xreadgroup' && args.includes(consumer) && args[args.length - 1] === '0') count++;
  });
  return () => count;
}

describe('delivery counts across reconnects', () => {
  it('reader reconnects while a handler runs count no delivery: the retry is attempt 2, not the DLQ', async () => {
    const catalog = testCatalog(); // workers: maxAttempts 4
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const { key, dlqKey } = catalog.streams.jobs!;
    await bus.bootstrap();
    const rereads = await watchRereads(server().client(), 'c1');
    const gate = deferred();
    const attempts: number[] = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (_event: Envelope<Job>, ctx) => {
          attempts.push(ctx.attempt);
          if (attempts.length === 1) {
            await gate.promise;
            throw new Error('transient');
          }
        },
      },
      { consumer: 'c1', blockMs: 200 },
    );
    await bus.publishBatch(jobs(1));
    await collect(attempts, 1);
    await waitFor(
      () => rereads() >= 1,
      () => 'the start re-read',
    );
    // Three reader reconnects while the first (and only) handler call runs.
    for (let kill = 1; kill <= 3; kill++) {
      const [readerId] = await waitFor(async () => {
        const ids = await clientIds(admin, 'schemabus:workers:c1');
        return ids.length === 1 ? ids : undefined;
      });
      const before = rereads();
      expect(await admin.client('KILL', 'ID', readerId!)).toBe(1);
      await waitFor(
        () => rereads() > before,
        () => `the re-read after reconnect ${kill}`,
      );
    }
    const [row] = (await admin.xpending(key, 'workers', '-', '+', 10)) as PendingRow[];
    expect(row?.[3]).toBe(1);
    gate.resolve();
    await waitFor(
      async () => attempts.length === 2 || (await admin.xlen(dlqKey)) > 0,
      () => `a retry or a dead letter; attempts ${JSON.stringify(attempts)}`,
    );
    expect(attempts).toEqual([1, 2]);
    expect(await admin.xlen(dlqKey)).toBe(0);
    await waitFor(async () => (await admin.xpending(key, 'workers'))[0] === 0);
  });

  it('a restarted consumer with the same name gets what its predecessor held as a redelivery (count + 1)', async () => {
    const catalog = testCatalog();
    const first = newBus(server(), catalog);
    await first.bootstrap();
    const held: number[] = [];
    const sub = first.subscribe(
      'workers',
      {
        'job.requested': async (_event: Envelope<Job>, ctx) => {
          held.push(ctx.attempt);
          await new Promise(() => {});
        },
      },
      { consumer: 'fixed-name' },
    );
    await first.publishBatch(jobs(1));
    await collect(held, 1);
    await sub.close({ timeoutMs: 0 }); // "dies" holding the entry
    const second = newBus(server(), catalog);
    const attempts: number[] = [];
    second.subscribe(
      'workers',
      { 'job.requested': async (_event: Envelope<Job>, ctx) => void attempts.push(ctx.attempt) },
      { consumer: 'fixed-name' },
    );
    await collect(attempts, 1);
    expect(held).toEqual([1]);
    expect(attempts).toEqual([2]);
  });
});
