/**
 * A stream event that is also realtime is stored and sent on its channel by
 * one script (XADD, then PUBLISH): when Redis refuses the XADD, nothing goes
 * out on the channel either, so "refused: nothing was written" is true and
 * no subscriber sees an event that was never stored.
 */
import { describe, expect, it } from 'vitest';
import { ConnectionError } from '../../runtime/errors.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

const ORDER = '5b0c1f8e-4a55-4e9b-9a33-1f0b3a9e2c11';

describe('realtime publish of a stream event', () => {
  it('an XADD refused under maxmemory sends nothing on the channel (publish and publishBatch)', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const received: string[] = [];
    await bus.onRealtime('order-status', {}, (event) => void received.push(event.id));
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    onCleanup(async () => {
      await admin.config('SET', 'maxmemory', '0');
    });
    const refused = await bus
      .publish('order.cancelled', { orderId: ORDER, reason: 'refused' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(ConnectionError);
    expect((refused as Error).message).toMatch(/refused by Redis.*nothing was written/);
    await expect(
      bus.publishBatch([
        { type: 'order.cancelled', data: { orderId: ORDER, reason: 'refused in a batch' } },
      ]),
    ).rejects.toThrow(/refused by Redis/);
    await admin.config('SET', 'maxmemory', '0');
    // Messages of one connection arrive in order: once this one is in, a phantom would be too.
    const stored = await bus.publish('order.cancelled', { orderId: ORDER, reason: 'stored' });
    await waitFor(
      () => received.includes(stored.id),
      () => 'the stored event on the channel',
    );
    expect(received).toEqual([stored.id]);
    expect(await admin.xlen(catalog.streams.orders!.key)).toBe(1);
    const [batched] = await bus.publishBatch([
      { type: 'order.cancelled', data: { orderId: ORDER, reason: 'batched' } },
    ]);
    await waitFor(() => received.includes(batched!.id));
    expect(received).toEqual([stored.id, batched!.id]);
    expect(batched!.entryId).toMatch(/^\d+-\d+$/);
  });
});
