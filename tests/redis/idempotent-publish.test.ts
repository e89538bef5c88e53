/**
 * Sharp edge "Reconnect re-sends unanswered commands": a repeated publish (a
 * retry after "outcome unknown", or an XADD ioredis re-sent) adds a second
 * entry, unless `idempotentPublish` is on: then one entry per event id.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { orderPlacedData } from '../contract/catalog.js';
import { jobs } from '../contract/helpers.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();

describe('idempotent publish', () => {
  it('stores one entry per event id, however often and however concurrently it is published', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog, { idempotentPublish: { ttlMs: 60_000 } });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    const data = { jobId: 'j', key: 'k', seq: 1 };
    const first = await bus.publish('job.requested', data, { id: 'event-1' });
    const again = await bus.publish('job.requested', data, { id: 'event-1' });
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => bus.publish('job.requested', data, { id: 'event-2' })),
    );
    const batch = await bus.publishBatch([
      { type: 'job.requested', data, meta: { id: 'event-3' } },
      { type: 'job.requested', data, meta: { id: 'event-3' } },
      { type: 'job.requested', data, meta: { id: 'event-1' } },
    ]);
    expect(again.entryId).toBe(first.entryId);
    expect(new Set(concurrent.map((p) => p.entryId)).size).toBe(1);
    expect(batch[0]!.entryId).toBe(batch[1]!.entryId);
    expect(batch[2]!.entryId).toBe(first.entryId);
    expect(await admin.xlen(key)).toBe(3);
    const handled: string[] = [];
    bus.subscribe('workers', { 'job.requested': async (e: Envelope) => void handled.push(e.id) });
    await collect(handled, 3);
    await waitFor(async () => (await admin.xpending(key, 'workers'))[0] === 0);
    expect(handled.sort()).toEqual(['event-1', 'event-2', 'event-3']);
    // Markers live beside the stream, in its hash slot, with a TTL.
    const ttl = await admin.pttl(`${key}:dedup:event-1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('sends a realtime event of a stored event once', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog, { idempotentPublish: true });
    const received: string[] = [];
    const data = { orderId: orderPlacedData().orderId as string, reason: 'changed mind' };
    const off = await bus.onRealtime(
      'order-status',
      { orderId: data.orderId },
      (e) => void received.push(e.id),
    );
    await bus.publish('order.cancelled', data, { id: 'cancel-1' });
    await bus.publish('order.cancelled', data, { id: 'cancel-1' });
    await bus.publish('order.cancelled', data, { id: 'cancel-2' });
    await collect(received, 2);
    expect(received).toEqual(['cancel-1', 'cancel-2']);
    await off();
  });

  it('without it, the same id published twice is stored twice (consumers may dedupe)', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const [a, b] = await bus.publishBatch(
      [...jobs(1), ...jobs(1)].map((item) => ({ ...item, meta: { id: 'same' } })),
    );
    expect(a!.entryId).not.toBe(b!.entryId);
    const handled: string[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (e: Envelope) => void handled.push(e.id) },
      { dedupe: true },
    );
    await waitFor(
      async () =>
        (await server().client().xpending(catalog.streams.jobs!.key, 'workers'))[0] === 0 &&
        bus.stats().acked + bus.stats().skipped === 2,
    );
    expect(handled).toEqual(['same']);
    expect(bus.stats().skipped).toBe(1);
  });
});
