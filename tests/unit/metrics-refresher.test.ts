/**
 * The gauges of streams and groups on a prom-client registry, refreshed from
 * the public inspect() and stats() of an in-memory bus; the registry's text
 * parsed line by line.
 */
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Envelope, Logger } from '../../runtime/bus.js';
import { InMemoryEventBus, MetricsRefresher, NonRetryableError } from '../../runtime/index.js';
import { createTestCatalog } from '../contract/catalog.js';
import { inspectGroup, type Job, jobs } from '../contract/helpers.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { deferred, waitFor } from '../support/wait.js';

const buses: InMemoryEventBus[] = [];
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close({ timeoutMs: 0 });
});

function busOn(registry: Registry, metricsIntervalMs = 0) {
  const bus = new InMemoryEventBus({
    catalog: createTestCatalog('gauges'),
    registry,
    metricsIntervalMs,
  });
  buses.push(bus);
  return bus;
}

async function scrape(registry: Registry) {
  return parsePrometheusText(await registry.metrics());
}

describe('MetricsRefresher', () => {
  it('sets stream, DLQ and group gauges from inspect(), and replaces them on the next refresh', async () => {
    const registry = new Registry();
    const bus = busOn(registry);
    await bus.bootstrap();
    const refresher = new MetricsRefresher(bus, registry);
    const held = deferred();
    const dead: number[] = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>) => {
          if (event.data.seq === 1) {
            dead.push(1);
            throw new NonRetryableError('poison');
          }
          if (event.data.seq === 2) await held.promise;
        },
      },
      { consumer: 'w1', concurrency: 3 },
    );
    await bus.publishBatch(jobs(3));
    await waitFor(async () => dead.length === 1 && (await bus.dlq('jobs').count()) === 1);
    await waitFor(async () => (await inspectGroup(bus, 'jobs', 'workers')).pending === 1);

    expect(await refresher.refresh()).toMatchObject({ ok: true });
    let m = await scrape(registry);
    const jobsStream = { stream: 'jobs' };
    const workers = { stream: 'jobs', group: 'workers' };
    const quiet = { stream: 'jobs', group: 'quiet' };
    expect(sampleValue(m, 'schemabus_stream_length', jobsStream)).toBe(3);
    expect(sampleValue(m, 'schemabus_stream_entries_added_total', jobsStream)).toBe(3);
    expect(sampleValue(m, 'schemabus_dlq_length', jobsStream)).toBe(1);
    expect(sampleValue(m, 'schemabus_group_pending', workers)).toBe(1);
    expect(sampleValue(m, 'schemabus_group_lag', workers)).toBe(0);
    expect(sampleValue(m, 'schemabus_group_consumers', workers)).toBe(1);
    expect(sampleValue(m, 'schemabus_group_idle_seconds', workers)).toBeGreaterThanOrEqual(0);
    expect(
      sampleValue(m, 'schemabus_group_oldest_pending_age_seconds', workers),
    ).toBeGreaterThanOrEqual(0);
    expect(sampleValue(m, 'schemabus_group_lagging_past_retention', workers)).toBe(0);
    // The group nobody consumes: everything is lag, no consumer, so no idle time.
    expect(sampleValue(m, 'schemabus_group_lag', quiet)).toBe(3);
    expect(sampleValue(m, 'schemabus_group_consumers', quiet)).toBe(0);
    expect(sampleValue(m, 'schemabus_group_idle_seconds', quiet)).toBeUndefined();
    expect(sampleValue(m, 'schemabus_group_oldest_pending_age_seconds', quiet)).toBe(0);
    expect(sampleValue(m, 'schemabus_inspect_success')).toBe(1);
    expect(
      sampleValue(m, 'schemabus_subscription_state', {
        group: 'workers',
        consumer: 'w1',
        state: 'running',
      }),
    ).toBe(1);
    expect(sampleValue(m, 'schemabus_data_loss_total')).toBe(0);
    expect(sampleValue(m, 'schemabus_realtime_gaps_total')).toBe(0);
    expect(m.get('schemabus_group_lag')?.type).toBe('gauge');
    expect(m.get('schemabus_stream_entries_added_total')?.type).toBe('counter');

    held.resolve();
    await waitFor(async () => (await inspectGroup(bus, 'jobs', 'workers')).pending === 0);
    await refresher.refresh();
    m = await scrape(registry);
    expect(sampleValue(m, 'schemabus_group_pending', workers)).toBe(0);
    expect(sampleValue(m, 'schemabus_group_oldest_pending_age_seconds', workers)).toBe(0);
    expect(refresher.last).toMatchObject({ ok: true });
  });

  it('reports a group the catalogue lists but the server lacks with 0 consumers', async () => {
    const registry = new Registry();
    const catalog = createTestCatalog('missing');
    const source = {
      catalog,
      stats: () => new InMemoryEventBus({ catalog }).stats(),
      inspect: async () => ({
        losses: [],
        streams: [
          {
            name: 'jobs',
            key: catalog.streams.jobs!.key,
            length: 0,
            entriesAdded: null,
            firstEntryId: null,
            lastEntryId: null,
            dlqLength: 0,
            groups: [],
          },
        ],
      }),
    };
    await new MetricsRefresher(source, registry).refresh();
    const m = await scrape(registry);
    expect(sampleValue(m, 'schemabus_group_consumers', { stream: 'jobs', group: 'workers' })).toBe(
      0,
    );
    expect(sampleValue(m, 'schemabus_group_consumers', { stream: 'jobs', group: 'quiet' })).toBe(0);
    expect(
      sampleValue(m, 'schemabus_group_lag', { stream: 'jobs', group: 'workers' }),
    ).toBeUndefined();
    expect(
      sampleValue(m, 'schemabus_stream_entries_added_total', { stream: 'jobs' }),
    ).toBeUndefined();
  });

  it('a failing inspect() sets schemabus_inspect_success 0, keeps the gauges, warns once and says when it works again', async () => {
    const registry = new Registry();
    const bus = busOn(registry);
    const records: string[] = [];
    const logger: Logger = {
      debug() {},
      info: (_o, msg) => void records.push(`info ${msg}`),
      warn: (o, msg) => void records.push(`warn ${msg} ${JSON.stringify(o)}`),
      error() {},
    };
    let down = false;
    const source = {
      catalog: bus.catalog,
      stats: () => bus.stats(),
      inspect: () => (down ? Promise.reject(new Error('ECONNREFUSED')) : bus.inspect()),
    };
    const refresher = new MetricsRefresher(source, registry, { logger });
    await bus.publishBatch(jobs(2));
    await refresher.refresh();
    down = true;
    expect(await refresher.refresh()).toMatchObject({ ok: false, error: 'ECONNREFUSED' });
    await refresher.refresh();
    const m = await scrape(registry);
    expect(sampleValue(m, 'schemabus_inspect_success')).toBe(0);
    expect(sampleValue(m, 'schemabus_stream_length', { stream: 'jobs' })).toBe(2);
    down = false;
    expect(await refresher.refresh()).toMatchObject({ ok: true });
    expect(records).toEqual([
      'warn metrics refresh failed: the gauges keep their last values until it works again {"error":"ECONNREFUSED"}',
      'info metrics refresh works again',
    ]);
  });

  it('a bus given a registry refreshes on its own every metricsIntervalMs', async () => {
    const registry = new Registry();
    const bus = busOn(registry, 20);
    await bus.publishBatch(jobs(2));
    await waitFor(
      async () =>
        sampleValue(await scrape(registry), 'schemabus_stream_length', { stream: 'jobs' }) === 2,
    );
    await bus.publishBatch(jobs(1));
    await waitFor(
      async () =>
        sampleValue(await scrape(registry), 'schemabus_stream_length', { stream: 'jobs' }) === 3,
    );
  });

  it('with metricsIntervalMs 0 the bus registers its counters and runs no refresher (no gauges)', async () => {
    const registry = new Registry();
    busOn(registry, 0);
    const m = await scrape(registry);
    expect(m.has('schemabus_published_total')).toBe(true);
    expect(m.has('schemabus_stream_length')).toBe(false);
  });
});
