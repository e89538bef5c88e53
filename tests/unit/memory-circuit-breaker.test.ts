/** The catalogue's circuitBreaker on the in-memory bus, on a manual clock: state, metrics, and `false`. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../runtime/catalog.js';
import { InMemoryEventBus, ManualClock } from '../../runtime/index.js';
import { createTestCatalog } from '../contract/catalog.js';
import { jobs } from '../contract/helpers.js';
import { waitFor } from '../support/wait.js';

/** The test catalogue with a circuit breaker on `jobs`/`workers`. */
function catalogWithBreaker(): Catalog {
  const catalog = createTestCatalog('cb');
  const jobsStream = catalog.streams.jobs!;
  const workers = jobsStream.groups.workers!;
  return {
    ...catalog,
    streams: {
      ...catalog.streams,
      jobs: {
        ...jobsStream,
        groups: {
          ...jobsStream.groups,
          workers: {
            ...workers,
            circuitBreaker: {
              failureRate: 0.5,
              minDeliveries: 2,
              windowMs: 10_000,
              coolDownMs: 1000,
            },
          },
        },
      },
    },
  };
}

async function metricValue(registry: Registry, name: string): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find(
    (v) => v.labels.stream === 'jobs' && v.labels.group === 'workers',
  );
  return value?.value;
}

describe('circuit breaker from the catalogue (in memory, manual clock)', () => {
  it('opens on the catalogue setting, shows in the metrics, probes after the cool-down on the bus clock', async () => {
    const clock = new ManualClock();
    const registry = new Registry();
    const bus = new InMemoryEventBus({ catalog: catalogWithBreaker(), clock, registry });
    let calls = 0;
    const sub = bus.subscribe('workers', {
      'job.requested': async () => {
        calls++;
        throw new Error('database down');
      },
    });
    await bus.publishBatch(jobs(3));
    await waitFor(
      () => sub.state === 'paused',
      () => `paused; ${calls} calls, ${sub.state}`,
    );
    expect(calls).toBe(2);
    expect(await metricValue(registry, 'schemabus_circuit_state')).toBe(2);
    expect(await metricValue(registry, 'schemabus_circuit_opened_total')).toBe(1);
    clock.advance(999);
    await Promise.resolve();
    expect(calls).toBe(2);
    clock.advance(1);
    await waitFor(
      async () => (await metricValue(registry, 'schemabus_circuit_opened_total')) === 2,
      () => `a second opening; ${calls} calls`,
    );
    expect(calls).toBe(3); // one probe, failed: open again
    expect(await metricValue(registry, 'schemabus_circuit_state')).toBe(2);
    await bus.close({ timeoutMs: 0 });
  });

  it('`circuitBreaker: false` in the subscribe options turns the catalogue breaker off', async () => {
    const bus = new InMemoryEventBus({ catalog: catalogWithBreaker(), clock: new ManualClock() });
    const seqs: number[] = [];
    const sub = bus.subscribe(
      'workers',
      {
        'job.requested': async (event) => {
          seqs.push((event.data as { seq: number }).seq);
          throw new Error('database down');
        },
      },
      { circuitBreaker: false },
    );
    await bus.publishBatch(jobs(3));
    await waitFor(
      () => seqs.length === 3,
      () => `3 first attempts; got ${seqs}`,
    );
    expect(sub.state).toBe('running');
    expect((await bus.health()).subscriptions[0]?.circuitBreakers).toEqual([]);
    await bus.close({ timeoutMs: 0 });
  });
});
