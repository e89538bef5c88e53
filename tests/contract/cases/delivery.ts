/** Fan-out across groups, load balancing inside a group, ack only after the handler resolved. */
import { expect, it } from 'vitest';
import type { Envelope } from '../../../runtime/bus.js';
import { CatalogMismatchError } from '../../../runtime/errors.js';
import { collect, deferred, waitFor } from '../../support/wait.js';
import { orderPlacedData } from '../catalog.js';
import { busyFor, countBy, groupDrained, inspectGroup, type Job, jobs } from '../helpers.js';
import type { ContractContext } from '../suite.js';

export function deliveryCases({ h }: ContractContext): void {
  it('fan-out: every group listening to a type gets it; other types are acked unseen', async () => {
    const { bus } = h();
    const got: string[] = [];
    const record = (group: string) => async (event: Envelope) =>
      void got.push(`${group}:${event.type}`);
    bus.subscribe('billing', {
      'order.placed': record('billing'),
      'order.cancelled': record('billing'),
    });
    bus.subscribe('audit', { 'order.placed': record('audit'), 'order.cancelled': record('audit') });
    bus.subscribe('shipping', { 'order.placed': record('shipping') });
    await bus.publish('order.placed', orderPlacedData());
    await bus.publish('order.cancelled', {
      orderId: orderPlacedData().orderId,
      reason: 'changed mind',
    });
    await collect(got, 5);
    for (const group of ['billing', 'audit', 'shipping']) {
      await waitFor(
        () => groupDrained(bus, 'orders', group),
        () => `${group} drained`,
      );
    }
    expect(got.sort()).toEqual([
      'audit:order.cancelled',
      'audit:order.placed',
      'billing:order.cancelled',
      'billing:order.placed',
      'shipping:order.placed',
    ]);
    expect(bus.stats().skipped).toBeGreaterThanOrEqual(1);
  });

  it('load balancing: three consumers of one group handle every event exactly once', async () => {
    const { bus } = h();
    const handled: Array<{ consumer: string; seq: number }> = [];
    for (const consumer of ['lb-1', 'lb-2', 'lb-3']) {
      bus.subscribe(
        'workers',
        {
          'job.requested': async (event: Envelope<Job>, ctx) => {
            handled.push({ consumer: ctx.consumer, seq: event.data.seq });
            await busyFor(3);
          },
        },
        { consumer, batchSize: 4 },
      );
    }
    const n = 45;
    await bus.publishBatch(jobs(n));
    await collect(handled, n);
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    expect(handled).toHaveLength(n);
    expect(handled.map((x) => x.seq).sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
    const perConsumer = countBy(handled, (x) => x.consumer);
    expect(perConsumer.size).toBeGreaterThan(1);
    const group = await inspectGroup(bus, 'jobs', 'workers');
    expect(group.consumers.map((c) => c.name)).toEqual(
      expect.arrayContaining(['lb-1', 'lb-2', 'lb-3']),
    );
  });

  it('acks an entry only after its handler resolved', async () => {
    const { bus } = h();
    const gate = deferred();
    const started: string[] = [];
    let finished = 0;
    bus.subscribe(
      'shipping',
      {
        'order.placed': async (event) => {
          started.push(event.id);
          await gate.promise;
          finished++;
        },
      },
      { consumer: 'holder' },
    );
    await bus.publish('order.placed', orderPlacedData());
    await collect(started, 1);
    const held = await inspectGroup(bus, 'orders', 'shipping');
    expect(held.pending).toBe(1);
    expect(held.consumers.find((c) => c.name === 'holder')?.pending).toBe(1);
    expect(bus.stats().acked).toBe(0);
    gate.resolve();
    await waitFor(async () => (await inspectGroup(bus, 'orders', 'shipping')).pending === 0);
    expect(finished).toBe(1);
    expect(bus.stats()).toMatchObject({ delivered: 1, acked: 1 });
  });

  it('dedupe: a consumer skips an event id it already handled', async () => {
    const { bus } = h();
    const seen: string[] = [];
    bus.subscribe(
      'shipping',
      { 'order.placed': async (event) => void seen.push(event.id) },
      { dedupe: true },
    );
    const first = await bus.publish('order.placed', orderPlacedData(), { id: 'same-id' });
    await bus.publish('order.placed', orderPlacedData(), { id: 'same-id' });
    const other = await bus.publish('order.placed', orderPlacedData());
    await collect(seen, 2);
    await waitFor(() => groupDrained(bus, 'orders', 'shipping'));
    expect(seen).toEqual([first.id, other.id]);
    expect(bus.stats()).toMatchObject({ acked: 2, skipped: 1 });
  });

  it('subscribe rejects handlers that do not match the group', () => {
    const { bus } = h();
    const noop = async () => {};
    expect(() => bus.subscribe('shipping', {})).toThrow(CatalogMismatchError);
    expect(() =>
      bus.subscribe('shipping', { 'order.placed': noop, 'order.cancelled': noop }),
    ).toThrow(/order.cancelled/);
    expect(() => bus.subscribe('nobody', { 'order.placed': noop })).toThrow(CatalogMismatchError);
  });

  it('bootstrap is idempotent', async () => {
    const { bus } = h();
    await bus.publish('order.placed', orderPlacedData());
    await bus.bootstrap();
    await bus.bootstrap();
    const group = await inspectGroup(bus, 'orders', 'billing');
    expect(group.lag === null || group.lag === 1).toBe(true);
  });
}
