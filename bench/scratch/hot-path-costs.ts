/**
 * Scratch: per-event CPU cost of the pieces of the schemabus hot path
 * (validation, envelope, encode, decode), in ns/op, to compare with the
 * per-event cost of raw XADD / XREADGROUP measured by the bench.
 * Run: npx tsx --conditions=source bench/scratch/hot-path-costs.ts
 */
import { readFileSync } from 'node:fs';
import { loadCatalog } from '../../generator/catalog/index.js';
import { createEnvelope } from '../../runtime/internal/envelope.js';
import { decodeEntry, encodeEnvelope } from '../../runtime/internal/entry-codec.js';
import { newEventId } from '../../runtime/internal/ids.js';
import { createValidators } from '../../runtime/internal/validate.js';
import { campaignCreated, campaignCreatedFields } from '../support/payload.js';

const loaded = loadCatalog(readFileSync('events.schema.yaml', 'utf8'), 'events.schema.yaml');
if (!loaded.ok) throw new Error('catalogue does not load');
const catalog = loaded.model.catalog;
const validators = createValidators(catalog);
const publishCheck = validators.forPublish('campaign.created');
const consumeCheck = validators.forConsume('campaign.created');
const payloads = Array.from({ length: 1024 }, () => campaignCreated());
const entries = Array.from({ length: 1024 }, () => campaignCreatedFields());

function bench(name: string, n: number, fn: (i: number) => unknown): void {
  for (let i = 0; i < n / 10; i++) fn(i);
  let sink = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if (fn(i)) sink++;
  const ns = Number(process.hrtime.bigint() - t0) / n;
  console.log(`${name.padEnd(40)} ${ns.toFixed(0).padStart(6)} ns/op ${sink < 0 ? '' : ''}`);
}

const N = 300_000;
for (let round = 0; round < 2; round++) {
  bench('validate publish (strict)', N, (i) => publishCheck(payloads[i & 1023]) === null);
  bench('validate consume (tolerant)', N, (i) => consumeCheck(payloads[i & 1023]) === null);
  bench('newEventId', N, () => newEventId());
  bench('createEnvelope', N, (i) =>
    createEnvelope(catalog, 'campaign.created', payloads[i & 1023]),
  );
  bench('JSON.stringify(data)', N, (i) => JSON.stringify(payloads[i & 1023]));
  bench('createEnvelope + encodeEnvelope', N, (i) =>
    encodeEnvelope(createEnvelope(catalog, 'campaign.created', payloads[i & 1023])),
  );
  bench('JSON.parse(data)', N, (i) => JSON.parse(entries[i & 1023]![13]!));
  bench('decodeEntry', N, (i) => decodeEntry(entries[i & 1023]!).ok);
  bench('decodeEntry + validate consume', N, (i) => {
    const r = decodeEntry(entries[i & 1023]!);
    return r.ok && consumeCheck(r.envelope.data) === null;
  });
}
