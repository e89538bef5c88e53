/**
 * Connections killed by the server (`CLIENT KILL`): ioredis reconnects, the
 * consumer re-reads its own pending list and goes on, realtime is
 * re-subscribed. Nothing stored is lost.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

/** Ids of the server's clients whose name matches `name`. */
async function clientIds(admin: Redis, name: RegExp): Promise<string[]> {
  const list = (await admin.client('LIST')) as string;
  return list
    .split('\n')
    .map((line) =>
      Object.fromEntries(line.split(' ').map((kv) => kv.split('=') as [string, string])),
    )
    .filter((c) => c.name !== undefined && name.test(c.name))
    .map((c) => c.id as string);
}

describe('connections killed by the server', () => {
  it('a consumer whose reader (and then every normal connection) is killed keeps consuming, none lost', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    const handled: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void handled.push(event.data.seq) },
      { consumer: 'steady', blockMs: 5000 },
    );
    let seq = 0;
    const publish = async (n: number) => {
      await bus.publishBatch(
        jobs(n).map((j, i) => ({ ...j, data: { ...(j.data as Job), seq: seq + i } })),
      );
      seq += n;
    };
    await publish(10);
    await waitFor(() => handled.length === 10);
    // The reader is blocked in XREADGROUP now: kill exactly that connection.
    const [readerId] = await waitFor(async () => {
      const ids = await clientIds(admin, /^schemabus:workers:steady$/);
      return ids.length === 1 ? ids : undefined;
    });
    expect(await admin.client('KILL', 'ID', readerId!)).toBe(1);
    await publish(10);
    await waitFor(
      () => handled.length === 20,
      () => `20 handled, got ${handled.length}`,
    );
    // Now every normal connection: the bus's command connection and the reader.
    const killed = await admin.client('KILL', 'TYPE', 'normal');
    expect(Number(killed)).toBeGreaterThanOrEqual(2);
    await publish(10);
    await waitFor(
      () => handled.length >= 30,
      () => `30 handled, got ${handled.length}`,
    );
    await waitFor(
      async () => (await admin.xpending(key, 'workers'))[0] === 0,
      () => 'PEL empty',
    );
    expect([...new Set(handled)].sort((a, b) => a - b)).toEqual([...Array(30).keys()]);
    expect(await clientIds(admin, /^schemabus:workers:steady$/)).toHaveLength(1);
    console.log(
      `CLIENT KILL reader, then TYPE normal (${killed} clients): handled ${handled.length} of 30, lost 0`,
    );
  });

  it('realtime subscriptions are re-subscribed after the pub/sub connection is killed', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const received: string[] = [];
    await bus.onRealtime(
      'alerts',
      {},
      (event) => void received.push((event.data as { message: string }).message),
    );
    await bus.publish('system.alert', { level: 'info', message: 'before' });
    await waitFor(() => received.includes('before'));
    expect(Number(await admin.client('KILL', 'TYPE', 'pubsub'))).toBe(1);
    // At-most-once: messages published while it reconnects are gone; keep publishing until one arrives.
    let n = 0;
    await waitFor(
      async () => {
        await bus.publish('system.alert', { level: 'warn', message: `after-${n++}` });
        return received.some((m) => m.startsWith('after-'));
      },
      () => `a message after the reconnect; received ${JSON.stringify(received)}`,
    );
    expect(await admin.pubsub('NUMPAT')).toBe(1);
  });
});
