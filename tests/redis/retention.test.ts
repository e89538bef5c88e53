/**
 * Sharp edge "Trimming ignores groups": retention trims with
 * `MINID min(floor of every group, cutoff)`, so nothing a group has not acked
 * goes; a hard cap trims anyway, with a loud `retention forced` signal.
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { captureLogger } from '../support/capture-logger.js';
import { withGroups, withRetention } from '../support/catalog-overrides.js';
import { envelopeOfEntry } from '../support/entries.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();

type Entry = [id: string, fields: string[]];

function metricValue([, fields]: Entry): number {
  return (envelopeOfEntry(fields).data as { value: number }).value;
}

async function publishValues(bus: ReturnType<typeof newBus>, from: number, to: number) {
  for (let value = from; value < to; value++) {
    await bus.publish('metric.recorded', { name: 'cpu', value });
  }
}

describe('retention', () => {
  it('trims up to the oldest entry a group still needs: its oldest pending one, else the one after its last read', async () => {
    const catalog = testCatalog(); // metrics: maxLen 5, groups fast + slow, both from the start
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const key = catalog.streams.metrics!.key;
    await bus.bootstrap();
    bus.subscribe('fast', { 'metric.recorded': async () => {} });
    // slow reads 10 events and keeps the 4th pending (its handler never settles).
    const slow: number[] = [];
    const sub = bus.subscribe(
      'slow',
      {
        'metric.recorded': async (event: Envelope<{ value: number }>) => {
          slow.push(event.data.value);
          if (event.data.value === 3) await new Promise(() => {});
        },
      },
      { concurrency: 10, batchSize: 10 },
    );
    await publishValues(bus, 0, 10);
    await collect(slow, 10);
    await sub.close({ timeoutMs: 0 });
    await publishValues(bus, 10, 40);
    await waitFor(
      async () => (await admin.xpending(key, 'fast'))[0] === 0 && (await admin.xlen(key)) <= 37,
    );
    const entries = (await admin.xrange(key, '-', '+')) as Entry[];
    // Everything from slow's pending entry (value 3) on is kept; the rest is within retention.
    expect(entries.map(metricValue)).toEqual([...Array(37).keys()].map((i) => i + 3));
    const inspection = (await bus.inspect()).streams.find((s) => s.name === 'metrics')!;
    const byName = Object.fromEntries(inspection.groups.map((g) => [g.name, g]));
    expect(byName.slow?.laggingPastRetention).toBe(true);
    expect(byName.fast?.laggingPastRetention).toBe(false);
    expect(bus.retentionForced).toBe(0);
  });

  it('a group that never read holds everything after its creation point', async () => {
    const catalog = testCatalog((c) => withGroups(c, 'metrics', { startFrom: 'latest' }));
    const bus = newBus(server(), catalog);
    const admin = server().client();
    const key = catalog.streams.metrics!.key;
    await bus.publish('metric.recorded', { name: 'before', value: -1 });
    await bus.bootstrap(); // both groups start after the first entry
    await publishValues(bus, 0, 20);
    await bus.publish('metric.recorded', { name: 'last', value: 20 });
    // Only the entry from before the groups existed may go.
    let length = 0;
    await waitFor(
      async () => {
        length = await admin.xlen(key);
        return length === 21;
      },
      () => `length 21, got ${length}`,
    );
    const entries = (await admin.xrange(key, '-', '+')) as Entry[];
    expect(entries.map(metricValue)).toEqual([...Array(21).keys()]);
  });

  it('the hard cap trims unacked entries anyway, logged as "retention forced" and counted', async () => {
    const catalog = testCatalog((c) => withRetention(c, 'metrics', { maxLen: 5 }));
    const logger = captureLogger();
    const registry = new Registry();
    const bus = newBus(server(), catalog, { logger, registry, retention: { hardCapFactor: 4 } });
    const admin = server().client();
    const key = catalog.streams.metrics!.key;
    await bus.bootstrap();
    // slow holds 3 entries pending and dies; nobody else reads for slow.
    const slow: number[] = [];
    const sub = bus.subscribe(
      'slow',
      {
        'metric.recorded': async (event: Envelope<{ value: number }>) => {
          slow.push(event.data.value);
          await new Promise(() => {});
        },
      },
      { concurrency: 3, batchSize: 3 },
    );
    await publishValues(bus, 0, 3);
    await collect(slow, 3);
    await sub.close({ timeoutMs: 0 });
    await publishValues(bus, 3, 60);
    await waitFor(
      () => bus.retentionForced > 0,
      () => 'a forced trim',
    );
    let length = 0;
    await waitFor(
      async () => {
        length = await admin.xlen(key);
        return length <= 20;
      },
      () => `length <= 20, got ${length}`,
    );
    const [forced] = logger.matching(/^retention forced/);
    expect(forced?.level).toBe('error');
    expect(forced?.obj).toMatchObject({
      stream: 'metrics',
      laggingGroups: expect.arrayContaining(['slow']),
    });
    const metric = await registry.getSingleMetricAsString('schemabus_retention_forced_total');
    expect(metric).toMatch(/schemabus_retention_forced_total\{stream="metrics"\} [1-9]/);
    // The entries slow held were trimmed: a new slow consumer counts them lost and reads on.
    const slowAgain: number[] = [];
    bus.subscribe('slow', {
      'metric.recorded': async (event: Envelope<{ value: number }>) =>
        void slowAgain.push(event.data.value),
    });
    await waitFor(
      () => bus.stats().lost === 3,
      () => `3 lost, got ${bus.stats().lost}`,
    );
    await waitFor(async () => (await admin.xpending(key, 'slow'))[0] === 0);
  });

  it('maxAge trims entries older than the limit once every group acked them', async () => {
    const catalog = testCatalog((c) => withRetention(c, 'metrics', { maxAgeMs: 300 }));
    const bus = newBus(server(), catalog, { retention: { everyPublishes: 1 } });
    const admin = server().client();
    const key = catalog.streams.metrics!.key;
    await bus.bootstrap();
    const handled: number[] = [];
    const handler = {
      'metric.recorded': async (e: Envelope<{ value: number }>) => void handled.push(e.data.value),
    };
    bus.subscribe('fast', handler);
    bus.subscribe('slow', handler);
    await publishValues(bus, 0, 5);
    await collect(handled, 10);
    await waitFor(
      async () =>
        (await admin.xpending(key, 'slow'))[0] === 0 &&
        (await admin.xpending(key, 'fast'))[0] === 0,
    );
    const before = Date.now();
    // Publish until the first five are older than maxAge, then they go.
    let value = 5;
    await waitFor(
      async () => {
        await bus.publish('metric.recorded', { name: 'cpu', value: value++ });
        const [first] = (await admin.xrange(key, '-', '+', 'COUNT', 1)) as Entry[];
        return first !== undefined && metricValue(first) >= 5;
      },
      () => `old entries trimmed after ${Date.now() - before} ms`,
    );
  });
});
