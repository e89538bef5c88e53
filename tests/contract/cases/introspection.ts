/** stats() counts what happened in this process; inspect() shows streams, groups, consumers, lag, pending, DLQ sizes. */
import { expect, it } from 'vitest';
import type { Envelope } from '../../../runtime/bus.js';
import { NonRetryableError } from '../../../runtime/errors.js';
import { collect, deferred, waitFor } from '../../support/wait.js';
import { orderPlacedData } from '../catalog.js';
import { groupDrained, inspectGroup, type Job, jobs } from '../helpers.js';
import type { ContractContext } from '../suite.js';

export function introspectionCases({ h }: ContractContext): void {
  it('stats() counts publishes, rejections, deliveries, acks, skips, retries, dead letters and realtime', async () => {
    const { bus } = h();
    expect(bus.stats()).toEqual({
      published: 0,
      publishFailed: 0,
      underReplicated: 0,
      rejected: 0,
      delivered: 0,
      acked: 0,
      skipped: 0,
      unknownTypes: 0,
      dataLoss: 0,
      realtimeGaps: 0,
      retried: 0,
      deadLettered: 0,
      lost: 0,
      realtimeSent: 0,
      realtimeReceived: 0,
    });
    const realtime: string[] = [];
    await bus.onRealtime('order-status', {}, (event) => void realtime.push(event.id));
    bus.subscribe('shipping', { 'order.placed': async () => {} });
    bus.subscribe('workers', {
      'job.requested': async (event: Envelope<Job>, ctx) => {
        if (event.data.seq === 0 && ctx.attempt === 1) throw new Error('transient');
        if (event.data.seq === 1) throw new NonRetryableError('poison');
      },
    });
    await bus.publish('order.placed', orderPlacedData());
    await bus.publish('order.placed', orderPlacedData());
    await bus.publish('order.cancelled', { orderId: orderPlacedData().orderId, reason: 'r' });
    await expect(bus.publish('order.placed', {})).rejects.toThrow();
    await bus.publishBatch(jobs(2));
    await collect(realtime, 1);
    await waitFor(() => groupDrained(bus, 'orders', 'shipping'));
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    await waitFor(
      () => bus.stats().acked === 3,
      () => JSON.stringify(bus.stats()),
    );
    expect(bus.stats()).toEqual({
      published: 5,
      publishFailed: 0,
      underReplicated: 0,
      rejected: 1,
      delivered: 5,
      acked: 3,
      skipped: 1,
      unknownTypes: 0,
      dataLoss: 0,
      realtimeGaps: 0,
      retried: 1,
      deadLettered: 1,
      lost: 0,
      realtimeSent: 1,
      realtimeReceived: 1,
    });
  });

  it('inspect() reports streams, groups, consumers, pending, lag and DLQ sizes', async () => {
    const { bus, catalog } = h();
    const before = await bus.inspect();
    expect(before.streams.map((s) => s.name)).toEqual(['jobs', 'ledger', 'metrics', 'orders']);
    for (const stream of before.streams) {
      const def = catalog.streams[stream.name]!;
      expect(stream).toMatchObject({
        key: def.key,
        length: 0,
        firstEntryId: null,
        lastEntryId: null,
        dlqLength: 0,
      });
      expect(stream.groups.map((g) => g.name)).toEqual(Object.keys(def.groups).sort());
      expect(stream.entriesAdded === null || stream.entriesAdded === 0).toBe(true);
      for (const g of stream.groups) {
        expect(g).toMatchObject({
          pending: 0,
          consumers: [],
          laggingPastRetention: false,
          oldestPendingId: null,
          oldestPendingAgeMs: null,
        });
      }
    }
    const published = await bus.publishBatch(jobs(3));
    const added = (await bus.inspect()).streams.find((s) => s.name === 'jobs')!.entriesAdded;
    if (added !== null) expect(added).toBe(3);
    const queued = await inspectGroup(bus, 'jobs', 'workers');
    expect(queued.pending).toBe(0);
    expect(queued.oldestPendingId).toBeNull();
    if (queued.lag !== null) expect(queued.lag).toBe(3);
    const gate = deferred();
    const started: number[] = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>) => {
          started.push(event.data.seq);
          await gate.promise;
          if (event.data.seq === 2) throw new NonRetryableError('no');
        },
      },
      { consumer: 'inspector', concurrency: 1, batchSize: 1 },
    );
    await collect(started, 1);
    const busy = await inspectGroup(bus, 'jobs', 'workers');
    expect(busy.pending).toBeGreaterThanOrEqual(1);
    const consumer = busy.consumers.find((c) => c.name === 'inspector');
    expect(consumer?.pending).toBe(busy.pending);
    expect(consumer?.idleMs).toBeGreaterThanOrEqual(0);
    // The oldest pending entry is the first one handed out; its age counts from its publish.
    expect(busy.oldestPendingId).toBe(published[0]!.entryId);
    expect(busy.oldestPendingAgeMs).toBeGreaterThanOrEqual(0);
    if (busy.lag !== null) expect(busy.lag).toBe(3 - busy.pending);
    gate.resolve();
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    const after = (await bus.inspect()).streams.find((s) => s.name === 'jobs')!;
    expect(after).toMatchObject({
      length: 3,
      firstEntryId: published[0]!.entryId,
      lastEntryId: published[2]!.entryId,
      dlqLength: 1,
    });
    const workers = after.groups.find((g) => g.name === 'workers')!;
    expect(workers.lastDeliveredId).toBe(published[2]!.entryId);
    expect(workers.pending).toBe(0);
    expect(workers).toMatchObject({ oldestPendingId: null, oldestPendingAgeMs: null });
  });

  it('onError takes listeners the bus calls only when something goes wrong on its own; a healthy bus reports no loss', async () => {
    const { bus } = h();
    const heard: Error[] = [];
    const off = bus.onError((error) => heard.push(error));
    await bus.publishBatch(jobs(3));
    const handled: number[] = [];
    bus.subscribe('workers', { 'job.requested': async () => void handled.push(1) });
    await collect(handled, 3);
    off();
    expect(heard).toEqual([]);
    expect((await bus.inspect()).losses).toEqual([]);
    expect(bus.stats()).toMatchObject({ dataLoss: 0, realtimeGaps: 0 });
  });

  it('health() reports the subscriptions (state, last read, lag) and ok; a closed bus is down', async () => {
    const { bus } = h();
    const handled: number[] = [];
    const sub = bus.subscribe('workers', { 'job.requested': async () => void handled.push(1) });
    await bus.publishBatch(jobs(2));
    await collect(handled, 2);
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    const health = await bus.health();
    expect(health).toMatchObject({ status: 'ok', reason: null });
    expect(Date.parse(health.checkedAt)).not.toBeNaN();
    expect(health.subscriptions).toEqual([
      {
        group: 'workers',
        consumer: sub.consumer,
        state: 'running',
        lastError: null,
        lastReadAt: expect.any(String),
        lag: 0,
        circuitBreakers: [],
      },
    ]);
    for (const c of health.connections) expect(c.status).toBe('ready');
    await bus.close();
    expect(await bus.health()).toMatchObject({
      status: 'down',
      reason: 'the bus is closed',
      connections: [],
    });
  });
}
