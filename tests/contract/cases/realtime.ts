/** Realtime channels: at-most-once to live subscribers, by params or pattern; realtime-only events are never stored. */
import { expect, it } from 'vitest';
import type { Envelope } from '../../../runtime/bus.js';
import { collect } from '../../support/wait.js';
import { inspectStream } from '../helpers.js';
import type { ContractContext } from '../suite.js';

const ORDER_A = '0190a6e2-7c3b-7d4e-8f00-00000000000a';
const ORDER_B = '0190a6e2-7c3b-7d4e-8f00-00000000000b';

export function realtimeCases({ h }: ContractContext): void {
  it('a subscription with params gets only its channel; the event is also stored', async () => {
    const { bus, catalog } = h();
    const got: Array<{ orderId: string; channel: string }> = [];
    const unsubscribe = await bus.onRealtime(
      'order-status',
      { orderId: ORDER_A },
      (event, channel) => {
        got.push({ orderId: (event.data as { orderId: string }).orderId, channel });
      },
    );
    const b = await bus.publish('order.cancelled', { orderId: ORDER_B, reason: 'b' });
    const a = await bus.publish('order.cancelled', { orderId: ORDER_A, reason: 'a' });
    expect(a.channel).toBe(`${catalog.namespace}:order:${ORDER_A}:status`);
    expect(b.channel).toBe(`${catalog.namespace}:order:${ORDER_B}:status`);
    expect(a.stream).toBe('orders');
    const [first] = await collect(got, 1);
    expect(first).toEqual({ orderId: ORDER_A, channel: a.channel });
    // a third event on A arrives; B's never did
    await bus.publish('order.cancelled', { orderId: ORDER_A, reason: 'again' });
    await collect(got, 2);
    expect(got.map((g) => g.orderId)).toEqual([ORDER_A, ORDER_A]);
    expect((await inspectStream(bus, 'orders')).length).toBe(3);
    await unsubscribe();
  });

  it('a pattern subscription (no params) gets every channel, with the same envelope', async () => {
    const { bus } = h();
    const got: Array<{ event: Envelope; channel: string }> = [];
    await bus.onRealtime('order-status', {}, (event, channel) => void got.push({ event, channel }));
    const a = await bus.publish(
      'order.cancelled',
      { orderId: ORDER_A, reason: 'a' },
      {
        correlationId: 'c-1',
      },
    );
    const b = await bus.publish('order.cancelled', { orderId: ORDER_B, reason: 'b' });
    await collect(got, 2);
    expect(got.map((g) => g.channel).sort()).toEqual([a.channel, b.channel].sort());
    const fromA = got.find((g) => g.channel === a.channel)!.event;
    expect(fromA).toMatchObject({
      id: a.id,
      type: 'order.cancelled',
      source: 'contract-tests',
      correlationid: 'c-1',
      data: { orderId: ORDER_A, reason: 'a' },
    });
  });

  it('realtime-only events are sent, never stored', async () => {
    const { bus, catalog } = h();
    const got: Envelope[] = [];
    await bus.onRealtime('alerts', { level: 'warn' }, (event) => void got.push(event));
    const published = await bus.publish('system.alert', { level: 'warn', message: 'disk' });
    expect(published.channel).toBe(`${catalog.namespace}:alerts:warn`);
    expect(published.entryId).toBeUndefined();
    expect(published.stream).toBeUndefined();
    await collect(got, 1);
    const lengths = (await bus.inspect()).streams.map((s) => s.length);
    expect(lengths).toEqual(Object.keys(catalog.streams).map(() => 0));
  });

  it('realtime is at-most-once to live subscribers: late or removed subscribers get nothing', async () => {
    const { bus } = h();
    const early: string[] = [];
    const late: string[] = [];
    const removeEarly = await bus.onRealtime('alerts', {}, (event) => {
      early.push((event.data as { message: string }).message);
    });
    await bus.publish('system.alert', { level: 'info', message: 'one' });
    await collect(early, 1);
    await bus.onRealtime('alerts', {}, (event) => {
      late.push((event.data as { message: string }).message);
    });
    await removeEarly();
    await bus.publish('system.alert', { level: 'info', message: 'two' });
    expect(await collect(late, 1)).toEqual(['two']);
    expect(early).toEqual(['one']);
  });

  it('a throwing realtime handler does not break publish or other subscribers', async () => {
    const { bus } = h();
    const got: string[] = [];
    await bus.onRealtime('alerts', {}, () => {
      throw new Error('subscriber bug');
    });
    await bus.onRealtime('alerts', {}, async () => {
      throw new Error('async subscriber bug');
    });
    await bus.onRealtime('alerts', {}, (event) => void got.push(event.id));
    const published = await bus.publish('system.alert', { level: 'critical', message: 'x' });
    expect(await collect(got, 1)).toEqual([published.id]);
  });
}
