/**
 * Sharp edge "Cluster": every key the bus writes for a stream starts with the
 * stream's hash tag `{namespace:stream}`, so a Cluster keeps them on one slot
 * and every script (dead-lettering, claims, retention, idempotent publish)
 * stays single-slot.
 */
import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../runtime/errors.js';
import { orderPlacedData } from '../contract/catalog.js';
import { jobs } from '../contract/helpers.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

describe('Redis keys', () => {
  it('every key of a stream shares its hash tag', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog, { idempotentPublish: true });
    const admin = server().client();
    await bus.bootstrap();
    let calls = 0;
    bus.subscribe('workers', {
      'job.requested': async () => {
        calls++;
        if (calls === 1) throw new Error('retry me'); // a failure record
        throw new NonRetryableError('then give up'); // a dead letter
      },
    });
    await bus.publishBatch(jobs(1)); // an idempotency marker
    await waitFor(async () => (await bus.dlq('jobs').count()) === 1);
    const keys = await admin.keys(`*${catalog.namespace}*`);
    const tag = `{${catalog.namespace}:jobs}`;
    const jobsKeys = keys.filter((k) => k.includes(':jobs'));
    expect(jobsKeys.some((k) => k.includes(':dedup:'))).toBe(true);
    expect(jobsKeys).toContain(catalog.streams.jobs!.dlqKey);
    for (const key of keys) expect(key).toMatch(/^\{[a-z][a-z0-9-]*:[a-z][a-z0-9-]*(:p\d+)?\}/);
    for (const key of jobsKeys) expect(key.startsWith(tag)).toBe(true);
  });

  it('refuses a client with an ioredis keyPrefix, which would split streams over two keys', () => {
    const catalog = testCatalog();
    const client = server().client().duplicate({ keyPrefix: 'tenant-a:', lazyConnect: true });
    onCleanup(() => void client.disconnect());
    expect(() => newBus(server(), catalog, { redis: client })).toThrow(
      /keyPrefix "tenant-a:".*not support.*catalogue namespace/,
    );
    expect(() => newBus(server(), catalog, { redis: { keyPrefix: 'tenant-b:' } })).toThrow(
      /keyPrefix "tenant-b:"/,
    );
    expect(() =>
      newBus(server(), catalog, { redis: `${server().url}?keyPrefix=tenant-c:` }),
    ).toThrow(/keyPrefix "tenant-c:"/);
  });

  it('never lets ioredis auto-pipelining reorder publishes: a given client is duplicated without it, given options lose it', async () => {
    const client = server().client().duplicate({ enableAutoPipelining: true });
    onCleanup(() => void client.disconnect());
    const { hostname, port } = new URL(server().url);
    const options = { host: hostname, port: Number(port), enableAutoPipelining: true };
    for (const redis of [client, options]) {
      const catalog = testCatalog();
      const bus = newBus(server(), catalog, { redis });
      await bus.publish('job.requested', { jobId: 'warm-up', key: 'k', seq: 0 }); // connected: batching on
      // A realtime event (its own script call), then a stream-only one (batched, sent on the
      // next microtask): both on stream `orders`, stored in this order.
      const first = bus.publish('order.cancelled', {
        orderId: '0190a6e2-7c3b-7d4e-8f00-00000000000a',
        reason: 'first',
      });
      const second = bus.publish('order.placed', orderPlacedData());
      // A lone publish, then two more in a later microtask of the same turn: a lone XADD
      // and a batch of two.
      const lone = bus.publish('job.requested', { jobId: 'a', key: 'k', seq: 0 });
      await Promise.resolve();
      const rest = [1, 2].map((seq) => bus.publish('job.requested', { jobId: 'b', key: 'k', seq }));
      const orders = await Promise.all([first, second]);
      const jobsPublished = await Promise.all([lone, ...rest]);
      const admin = server().client();
      const stored = async (stream: 'orders' | 'jobs') =>
        (await admin.xrange(catalog.streams[stream]!.key, '-', '+')).map(([id]) => id);
      expect(await stored('orders')).toEqual(orders.map((p) => p.entryId));
      expect((await stored('jobs')).slice(1)).toEqual(jobsPublished.map((p) => p.entryId));
      await bus.close();
    }
    expect(client.status).toBe('ready');
    expect(await client.ping()).toBe('PONG');
  });
});
