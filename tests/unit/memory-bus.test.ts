/** InMemoryEventBus specifics the contract suite does not cover: limits, logging, metrics, errors. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Envelope, Logger } from '../../runtime/bus.js';
import { CatalogMismatchError, ValidationError } from '../../runtime/errors.js';
import { InMemoryEventBus } from '../../runtime/index.js';
import { frozenJsonCopy } from '../../runtime/memory/frozen-data.js';
import { createTestCatalog, orderPlacedData } from '../contract/catalog.js';
import { jobs } from '../contract/helpers.js';
import { waitFor } from '../support/wait.js';

function recordingLogger() {
  const records: Array<{ level: string; obj: object; msg?: string | undefined }> = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void =>
      void records.push({ level, obj, msg });
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, records };
}

describe('InMemoryEventBus', () => {
  it('bootstrap() reports streams created, found (an entry before) and absent (no groups)', async () => {
    const base = createTestCatalog('m');
    const metrics = { ...base.streams.metrics!, groups: {} };
    const catalog = { ...base, streams: { ...base.streams, metrics } };
    const bus = new InMemoryEventBus({ catalog });
    await bus.appendRaw('jobs', { note: 'before bootstrap' });
    const status = (await bus.bootstrap()).streams.map((s) => [s.name, s.status]);
    expect(status).toEqual([
      ['jobs', 'found'],
      ['ledger', 'created'],
      ['metrics', 'absent'],
      ['orders', 'created'],
    ]);
    await bus.close();
  });

  it('delivers one frozen copy of the payload: no handler can change what another group or the publisher sees', async () => {
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m') });
    const data = orderPlacedData();
    const seen: Envelope[] = [];
    const errors: unknown[] = [];
    const shipping = bus.subscribe('shipping', {
      'order.placed': async (event) => {
        try {
          (event.data as { items: { qty: number }[] }).items[0]!.qty = 99;
        } catch (error) {
          errors.push(error);
        }
        seen.push(event);
      },
    });
    const audit = bus.subscribe('audit', {
      'order.placed': async (event) => void seen.push(event),
      'order.cancelled': async () => {},
    });
    await bus.publish('order.placed', data);
    (data.items as { qty: number }[])[0]!.qty = 7;
    await waitFor(() => seen.length === 2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TypeError);
    for (const event of seen) {
      expect(event.data).toEqual(orderPlacedData());
      expect(Object.isFrozen(event)).toBe(true);
    }
    expect(Object.isFrozen(data)).toBe(false);
    await Promise.all([shipping.close(), audit.close()]);
    await bus.close();
  });

  it('checks the exact size when the cheap bound is over maxEntryBytes', async () => {
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m'), maxEntryBytes: 400 });
    const got: unknown[] = [];
    const sub = bus.subscribe('workers', { 'job.requested': async (e) => void got.push(e.data) });
    // JSON of about 340 bytes, but 6 bytes a character as an upper bound.
    await bus.publish('job.requested', { jobId: 'x'.repeat(150), key: 'k', seq: 1 });
    await waitFor(() => got.length === 1);
    expect(got[0]).toEqual({ jobId: 'x'.repeat(150), key: 'k', seq: 1 });
    await sub.close();
    await bus.close();
  });

  it('copies exactly what a JSON round trip keeps, or declines', () => {
    const plain = [
      { a: 1, b: 'é\u0000\ud800', c: [true, null, -0, 1.5e300], d: { e: {} }, f: [] },
      'text',
      0,
      null,
      Object.assign(Object.create(null), { x: 1 }),
    ];
    for (const value of plain) {
      const copy = frozenJsonCopy(value);
      expect(copy).toBeDefined();
      expect(copy!.value).toStrictEqual(JSON.parse(JSON.stringify(value)));
      expect(copy!.maxJsonBytes).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(value)));
    }
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const declined = [
      { when: new Date(0) },
      { u: undefined },
      [1, undefined],
      { n: Number.NaN },
      { big: 1n },
      { f: () => 1 },
      { toJSON: () => 'x' },
      JSON.parse('{"__proto__":{"polluted":true}}'),
      { constructor: 'x' },
      circular,
      undefined,
    ];
    for (const value of declined) expect(frozenJsonCopy(value)).toBeUndefined();
    // An enumerable property inherited from a polluted Object.prototype: JSON skips it; so must the copy.
    const proto = Object.prototype as { inherited?: number };
    proto.inherited = 1;
    let copied: unknown;
    try {
      copied = frozenJsonCopy({ own: 1 });
    } finally {
      delete proto.inherited;
    }
    expect(copied).toBeUndefined();
  });

  it('has no replicas: takes waitForReplicas, checked, and ignores it', async () => {
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m') });
    const published = await bus.publish(
      'job.requested',
      { jobId: 'j', key: 'k', seq: 0 },
      { waitForReplicas: { replicas: 2, timeoutMs: 100 } },
    );
    expect(published.replicas).toBeUndefined();
    await expect(
      bus.publish(
        'job.requested',
        { jobId: 'j', key: 'k', seq: 1 },
        {
          waitForReplicas: { replicas: 1.5, timeoutMs: 100 },
        },
      ),
    ).rejects.toThrow(/meta.waitForReplicas must be/);
    await bus.close();
  });

  it('rejects an event larger than maxEntryBytes and stores nothing', async () => {
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m'), maxEntryBytes: 300 });
    await expect(
      bus.publish('job.requested', { jobId: 'x'.repeat(400), key: 'k', seq: 1 }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      bus.publish('job.requested', { jobId: 'x'.repeat(400), key: 'k', seq: 1 }),
    ).rejects.toThrow(/maxEntryBytes/);
    expect((await bus.inspect()).streams.every((s) => s.length === 0)).toBe(true);
    expect(bus.stats().rejected).toBe(2);
  });

  it('delivers a realtime message as large as its maxEntryBytes allows, past the 1 MiB default', async () => {
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m'), maxEntryBytes: 4 << 20 });
    const got: number[] = [];
    await bus.onRealtime('alerts', {}, (event) => {
      got.push((event.data as { message: string }).message.length);
    });
    await bus.publish('system.alert', { level: 'warn', message: 'x'.repeat(2 << 20) });
    await waitFor(
      () => got.length === 1,
      () => 'the 2 MiB alert delivered',
    );
    expect(got).toEqual([2 << 20]);
  });

  it('logs dead letters and realtime handler failures, never throws them', async () => {
    const { logger, records } = recordingLogger();
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m'), logger });
    await bus.onRealtime('alerts', {}, () => {
      throw new Error('bad subscriber');
    });
    await bus.publish('system.alert', { level: 'info', message: 'x' });
    bus.subscribe('workers', {
      'job.requested': async () => {
        throw Object.assign(new Error('nope'), { command: { args: ['secret'] } });
      },
    });
    await bus.publishBatch(jobs(1));
    await waitFor(() => records.some((r) => r.msg === 'entry moved to the dead-letter queue'));
    expect(records.find((r) => r.msg === 'realtime handler failed')?.obj).toMatchObject({
      error: 'bad subscriber',
    });
    expect(JSON.stringify(records)).not.toContain('secret');
    await bus.close();
  });

  it('reports metrics on a prom-client registry', async () => {
    const registry = new Registry();
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m'), registry });
    bus.subscribe('workers', { 'job.requested': async () => {} });
    await bus.publishBatch(jobs(2));
    await waitFor(() => bus.stats().acked === 2);
    const text = await registry.metrics();
    expect(text).toMatch(/schemabus_published_total\{type="job.requested",outcome="ok"\} 2/);
    expect(text).toMatch(
      /schemabus_consumed_total\{stream="jobs",group="workers",type="job.requested",outcome="acked"\} 2/,
    );
    expect(text).toMatch(/schemabus_handler_duration_seconds_count\{group="workers"/);
    await bus.close();
  });

  it('names unknown streams, channels and params with a hint', async () => {
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m') });
    expect(() => bus.dlq('job')).toThrow(CatalogMismatchError);
    expect(() => bus.dlq('job')).toThrow(/did you mean "jobs"/);
    await expect(bus.onRealtime('alert', {}, () => {})).rejects.toThrow(/did you mean "alerts"/);
    await expect(bus.onRealtime('alerts', { levle: 'x' }, () => {})).rejects.toThrow(
      /did you mean "level"/,
    );
    await expect(bus.dlq('jobs').replay('1-0')).rejects.toThrow(/no dead letter "1-0"/);
    await expect(bus.appendRaw('nope', {})).rejects.toThrow(CatalogMismatchError);
  });

  it('handlers may publish follow-up events while the bus closes', async () => {
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m') });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let followUp: Promise<unknown> | undefined;
    bus.subscribe('workers', {
      'job.requested': async () => {
        await gate;
        followUp = bus.publish('metric.recorded', { name: 'done', value: 1 });
      },
    });
    await bus.publishBatch(jobs(1));
    await waitFor(() => bus.stats().delivered === 1);
    const closing = bus.close({ timeoutMs: 1000 });
    release();
    await closing;
    await expect(followUp).resolves.toMatchObject({ stream: 'metrics' });
    expect(() => bus.subscribe('workers', { 'job.requested': async () => {} })).toThrow(/closed/);
  });
});
