/** publish validates strictly and writes nothing when invalid; consume side is a tolerant reader. */
import { expect, it } from 'vitest';
import type { Envelope, HandlerContext, PublishMeta } from '../../../runtime/bus.js';
import { CatalogMismatchError, ValidationError } from '../../../runtime/errors.js';
import { collect, waitFor } from '../../support/wait.js';
import { orderPlacedData } from '../catalog.js';
import { inspectStream } from '../helpers.js';
import type { ContractContext } from '../suite.js';

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

export function publishCases({ h }: ContractContext): void {
  it('publish rejects an invalid payload, lists every failing path and writes nothing', async () => {
    const { bus } = h();
    const error = await rejection(
      bus.publish('order.placed', {
        orderId: 'not-a-uuid',
        customer: { email: 'not-an-email' },
        amount: { amount: 1.5, currency: 'eur' },
        items: [{ sku: 'a', qty: 0 }],
      }),
    );
    expect(error.type).toBe('order.placed');
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      '/amount/amount',
      '/amount/currency',
      '/customer/email',
      '/items/0/qty',
      '/orderId',
    ]);
    expect(error.message).toMatch(/nothing was published/);
    const missing = await rejection(bus.publish('order.placed', {}));
    expect(missing.issues.map((i) => i.path).sort()).toEqual([
      '/amount',
      '/customer',
      '/items',
      '/orderId',
    ]);
    expect((await inspectStream(bus, 'orders')).length).toBe(0);
    expect(bus.stats()).toMatchObject({ published: 0, rejected: 2 });
  });

  it('publish rejects unknown fields at any depth', async () => {
    const { bus } = h();
    const error = await rejection(
      bus.publish(
        'order.placed',
        orderPlacedData({ extra: true, customer: { email: 'a@example.com', vip: true } }),
      ),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual(['/customer/vip', '/extra']);
    expect((await inspectStream(bus, 'orders')).length).toBe(0);
  });

  it('publishBatch writes nothing when one item is invalid', async () => {
    const { bus } = h();
    await rejection(
      bus.publishBatch([
        { type: 'order.placed', data: orderPlacedData() },
        { type: 'order.cancelled', data: { orderId: 'nope', reason: '' } },
      ]),
    );
    expect((await inspectStream(bus, 'orders')).length).toBe(0);
    const published = await bus.publishBatch([
      { type: 'order.placed', data: orderPlacedData() },
      { type: 'job.requested', data: { jobId: 'j', key: 'k', seq: 0 } },
    ]);
    expect(published.map((p) => p.stream)).toEqual(['orders', 'jobs']);
    expect((await inspectStream(bus, 'orders')).length).toBe(1);
  });

  it('a meta attribute that is not a string is refused by name, and nothing is stored', async () => {
    const { bus } = h();
    const meta = { subject: ['a'] } as unknown as PublishMeta;
    await expect(bus.publish('order.placed', orderPlacedData(), meta)).rejects.toThrow(
      /meta\.subject must be a string, got an array/,
    );
    await expect(
      bus.publishBatch([
        { type: 'order.placed', data: orderPlacedData() },
        {
          type: 'order.placed',
          data: orderPlacedData(),
          meta: { time: 5 } as unknown as PublishMeta,
        },
      ]),
    ).rejects.toThrow(/meta\.time must be a string or a Date, got number/);
    expect((await inspectStream(bus, 'orders')).length).toBe(0);
  });

  it('publish rejects an unknown event type', async () => {
    await expect(h().bus.publish('order.shipped', {})).rejects.toBeInstanceOf(CatalogMismatchError);
  });

  it('publish resolves with the stored entry; the handler gets every envelope attribute', async () => {
    const { bus } = h();
    const seen: Array<{ event: Envelope; ctx: HandlerContext }> = [];
    bus.subscribe(
      'shipping',
      { 'order.placed': async (event, ctx) => void seen.push({ event, ctx }) },
      { consumer: 'ship-1' },
    );
    const data = orderPlacedData({ note: 'fragile' });
    const published = await bus.publish('order.placed', data, {
      subject: 'order/1',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      time: '2024-05-01T10:00:00.000Z',
    });
    expect(published).toMatchObject({ type: 'order.placed', stream: 'orders' });
    expect(published.entryId).toMatch(/^\d+-\d+$/);
    const stream = await inspectStream(bus, 'orders');
    expect(stream.lastEntryId).toBe(published.entryId);
    const [got] = await collect(seen, 1);
    expect(got!.event).toEqual({
      specversion: '1.0',
      id: published.id,
      source: 'contract-tests',
      type: 'order.placed',
      time: '2024-05-01T10:00:00.000Z',
      datacontenttype: 'application/json',
      data,
      subject: 'order/1',
      correlationid: 'corr-1',
      causationid: 'cause-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(got!.ctx).toMatchObject({
      group: 'shipping',
      consumer: 'ship-1',
      stream: 'orders',
      entryId: published.entryId,
      attempt: 1,
      maxAttempts: 3,
    });
    expect(got!.ctx.signal.aborted).toBe(false);
  });

  it('consume side is tolerant: an entry with unknown extra fields is handled', async () => {
    const { bus } = h();
    const seen: unknown[] = [];
    bus.subscribe('shipping', { 'order.placed': async (event) => void seen.push(event.data) });
    const data = { ...orderPlacedData(), addedLater: 'v2', customer: { email: 'a@b.co', tier: 3 } };
    await bus.appendRaw('orders', {
      specversion: '1.0',
      id: 'raw-1',
      source: 'newer-producer',
      type: 'order.placed',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: JSON.stringify(data),
      extension: 'ignored',
    });
    expect(await collect(seen, 1)).toEqual([data]);
  });

  it('an entry of a type the catalogue does not declare is acked unseen and counted apart (unknownTypes), the next is handled', async () => {
    const { bus } = h();
    const seen: string[] = [];
    bus.subscribe('shipping', { 'order.placed': async (event) => void seen.push(event.id) });
    for (const id of ['future-1', 'future-2']) {
      await bus.appendRaw('orders', {
        type: 'order.refunded',
        v1: JSON.stringify({
          id,
          source: 'newer-producer',
          time: new Date().toISOString(),
          data: {},
        }),
      });
    }
    await bus.appendRaw('orders', {
      type: 'order.cancelled',
      v1: JSON.stringify({ id: 'known-1', source: 'p', time: new Date().toISOString(), data: {} }),
    });
    const good = await bus.publish('order.placed', orderPlacedData());
    expect(await collect(seen, 1)).toEqual([good.id]);
    await waitFor(
      () => bus.stats().skipped === 3,
      () => `3 skipped, ${JSON.stringify(bus.stats())}`,
    );
    expect(bus.stats().unknownTypes).toBe(2);
    expect(await bus.dlq('orders').count()).toBe(0);
  });

  it('consume side rejects a missing required field: DLQ "invalid", the next entry is handled', async () => {
    const { bus } = h();
    const seen: unknown[] = [];
    bus.subscribe('shipping', { 'order.placed': async (event) => void seen.push(event.id) });
    const { amount: _dropped, ...withoutAmount } = orderPlacedData();
    const entryId = await bus.appendRaw('orders', {
      specversion: '1.0',
      id: 'raw-invalid',
      source: 'old-producer',
      type: 'order.placed',
      time: new Date().toISOString(),
      data: JSON.stringify(withoutAmount),
    });
    const good = await bus.publish('order.placed', orderPlacedData());
    expect(await collect(seen, 1)).toEqual([good.id]);
    const [letter] = await waitFor(
      async () => {
        const letters = await bus.dlq('orders').list();
        return letters.length === 1 ? letters : undefined;
      },
      () => 'one dead letter',
    );
    expect(letter).toMatchObject({
      stream: 'orders',
      group: 'shipping',
      entryId,
      reason: 'invalid',
      attempts: 1,
      type: 'order.placed',
    });
    expect(letter!.error).toMatch(/\/amount/);
  });
}
