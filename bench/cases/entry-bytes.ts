/**
 * Redis bytes per stored entry: 10,000 entries of the same event (a fresh
 * 300-byte campaign.created each) written to a stream of their own, then
 * `MEMORY USAGE <key> SAMPLES 0` (every listpack node counted) divided by
 * the count. Schemabus's stored format 1 (`type`, `v1` document) against
 * the single-field entry a user writes by hand (the whole envelope JSON;
 * `-lean`: without the two constant attributes) and the seven-field format
 * of the first releases. The figures move in steps: a listpack node holds
 * at most 4 KB (stream-node-max-bytes), so what counts is how many entries
 * fit in one.
 */
import type { Envelope } from '../../runtime/bus.js';
import { campaignCreatedFields, campaignEnvelope, singleFieldEntry } from '../support/payload.js';
import { prefillStream } from '../support/redis-helpers.js';
import type { Case, Variant } from '../support/types.js';

const KEY = '{bench:entry-bytes}';

/** A single field holding what format 1 holds (type, id, source, time, data) and no constants. */
function leanSingleFieldEntry({ type, id, source, time, data }: Envelope): string[] {
  return ['event', JSON.stringify({ type, id, source, time, data })];
}

/** The seven-field entry of the first releases (`runtime/internal/legacy-entry.ts` still reads it). */
function legacySevenFieldEntry(e: Envelope): string[] {
  return [
    'specversion',
    e.specversion,
    'id',
    e.id,
    'source',
    e.source,
    'type',
    e.type,
    'time',
    e.time,
    'datacontenttype',
    e.datacontenttype,
    'data',
    JSON.stringify(e.data),
  ];
}

function bytesVariant(name: string, count: number, fields: (e: Envelope) => string[]): Variant {
  return {
    name,
    run: async (ctx) => {
      await ctx.admin.del(KEY);
      await prefillStream(ctx.admin, KEY, count, () => fields(campaignEnvelope()));
      const bytes = Number(await ctx.admin.memory('USAGE', KEY, 'SAMPLES', 0));
      await ctx.admin.del(KEY);
      return { bytesPerEntry: bytes / count };
    },
  };
}

export function entryBytesCase(quick: boolean): Case {
  const count = quick ? 1000 : 10_000;
  const over = 'entry-bytes/handwritten-1field/bytesPerEntry';
  return {
    name: 'entry-bytes',
    title: `Redis bytes per entry (MEMORY USAGE of ${count} entries)`,
    metrics: [{ name: 'bytesPerEntry', unit: 'bytes', better: 'lower' }],
    variants: [
      bytesVariant('schemabus-format1', count, campaignCreatedFields),
      bytesVariant('handwritten-1field', count, singleFieldEntry),
      bytesVariant('handwritten-1field-lean', count, leanSingleFieldEntry),
      bytesVariant('legacy-7field', count, legacySevenFieldEntry),
    ],
    checks: [
      {
        label: 'Redis bytes per entry: format 1 / hand-written single field',
        value: 'entry-bytes/schemabus-format1/bytesPerEntry',
        over,
        target: { op: '<=', bound: 1.15 },
      },
      {
        label: 'Redis bytes per entry: format 1 / lean single field (no constants)',
        value: 'entry-bytes/schemabus-format1/bytesPerEntry',
        over: 'entry-bytes/handwritten-1field-lean/bytesPerEntry',
      },
      {
        label: 'Redis bytes per entry: seven-field format / hand-written single field',
        value: 'entry-bytes/legacy-7field/bytesPerEntry',
        over,
      },
    ],
    note: 'a fresh 300-byte campaign.created per entry; handwritten-1field holds the whole envelope JSON (specversion, id, source, type, time, datacontenttype, data), -lean only type, id, source, time, data',
  };
}
