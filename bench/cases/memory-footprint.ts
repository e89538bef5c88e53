/**
 * Memory: a consumer in a child process processes 200k entries of a 1M-entry
 * backlog; its RSS growth from idle (connected, nothing read) to the peak
 * while consuming must stay flat (backpressure: at most `batchSize` entries
 * held), and so must its growth after the first tenth of the entries, once
 * the one-time costs of starting are paid. Also Redis `used_memory` per
 * stored entry (300-byte payload).
 */
import { fileURLToPath } from 'node:url';
import { runChild } from '../support/child.js';
import { campaignCreatedFields } from '../support/payload.js';
import { prefillStream, resetGroup, usedMemory } from '../support/redis-helpers.js';
import type { RssReport } from '../support/rss-child.js';
import { flavors } from '../support/schemabus.js';
import type { BenchContext, Case, Variant } from '../support/types.js';

const STREAM_KEY = '{campaigns:campaign-events}';
const RAW_GROUP = 'raw-rss';
const SB_GROUP = 'lifecycle-service';
const CHILD = fileURLToPath(new URL('../support/rss-child.ts', import.meta.url));
const CHILD_TIMEOUT_MS = 180_000;
const POOL = 1024;

function consumerVariant(mode: string, count: number): Variant {
  return {
    name: `${mode}-consumer`,
    run: async (ctx: BenchContext) => {
      await resetGroup(ctx.admin, STREAM_KEY, mode === 'raw' ? RAW_GROUP : SB_GROUP);
      const report = await runChild<RssReport>(
        CHILD,
        [mode, ctx.redisUrl, String(count)],
        CHILD_TIMEOUT_MS,
        ['--expose-gc'],
      );
      return {
        rssGrowth: report.peakMb - report.idleMb,
        rssGrowthAfterWarm: report.peakAfterWarmMb - report.warmMb,
        rssIdle: report.idleMb,
        rssPeak: report.peakMb,
        rssEnd: report.endMb,
        heapRetained: report.heapRetainedMb,
        rate: report.rate,
      };
    },
  };
}

export function memoryFootprintCase(quick: boolean): Case {
  const backlog = quick ? 20_000 : 1_000_000;
  const count = quick ? 5000 : 200_000;
  const pool = Array.from({ length: POOL }, () => campaignCreatedFields());
  let bytesPerEntry = Number.NaN;
  return {
    name: 'memory',
    title: `consumer RSS processing ${count} of a ${backlog}-entry backlog`,
    metrics: [
      { name: 'rssGrowth', unit: 'MB', better: 'lower' },
      { name: 'rssGrowthAfterWarm', unit: 'MB', better: 'lower' },
      { name: 'rssIdle', unit: 'MB', better: 'lower' },
      { name: 'rssPeak', unit: 'MB', better: 'lower' },
      { name: 'rssEnd', unit: 'MB', better: 'lower' },
      { name: 'heapRetained', unit: 'MB', better: 'lower' },
      { name: 'rate', unit: 'events/s', better: 'higher' },
      { name: 'bytesPerEntry', unit: 'bytes', better: 'lower' },
    ],
    reps: 3,
    setup: async (ctx) => {
      const before = await usedMemory(ctx.admin);
      await prefillStream(ctx.admin, STREAM_KEY, backlog, (i) => pool[i % POOL]!);
      bytesPerEntry = ((await usedMemory(ctx.admin)) - before) / backlog;
      ctx.log(`  memory: pre-filled ${backlog} entries, ${bytesPerEntry.toFixed(0)} bytes each`);
    },
    variants: [
      consumerVariant('raw', count),
      ...flavors().map((f) => consumerVariant(`schemabus${f.suffix}`, count)),
      { name: 'redis', run: async () => ({ bytesPerEntry }) },
    ],
    checks: [
      ...flavors().map((f) => ({
        label: `consumer RSS growth with a backlog${f.suffix} (MB)`,
        value: `memory/schemabus${f.suffix}-consumer/rssGrowth`,
        target: { op: '<=' as const, bound: 50 },
      })),
      ...flavors().map((f) => ({
        label: `consumer RSS growth after the first tenth${f.suffix} (MB)`,
        value: `memory/schemabus${f.suffix}-consumer/rssGrowthAfterWarm`,
      })),
      {
        label: 'raw loop RSS growth after the first tenth (MB)',
        value: 'memory/raw-consumer/rssGrowthAfterWarm',
      },
      {
        label: 'redis used_memory per entry (bytes)',
        value: 'memory/redis/bytesPerEntry',
      },
    ],
    note:
      'child processes (--expose-gc); rssGrowth = peak RSS while consuming - RSS idle (connected, after a full GC); ' +
      'rssGrowthAfterWarm = peak RSS after the first tenth of the entries - RSS at that point (flat under a backlog: backpressure); ' +
      'heapRetained = heap used after a full GC once the count is reached (still subscribed) - idle: what the consumer holds; ' +
      'the raw consumer parses every entry',
  };
}
