/**
 * The CPU cost of each piece of the publish and consume hot paths, in ns per
 * event, next to the JSON work a hand-written producer or consumer pays too
 * (`JSON.stringify`, `JSON.parse` of the same payload): where schemabus
 * spends its time per event besides Redis. No server involved.
 */
import { decodeEntry, encodeEnvelope } from '../../runtime/internal/entry-codec.js';
import { createEnvelope } from '../../runtime/internal/envelope.js';
import { newEventId } from '../../runtime/internal/ids.js';
import { createValidators } from '../../runtime/internal/validate.js';
import { campaignCreated, campaignCreatedFields } from '../support/payload.js';
import { catalog } from '../support/schemabus.js';
import type { Case, Variant } from '../support/types.js';

const POOL = 1024;
const TYPE = 'campaign.created';

/** A variant timing `op` over `n` calls (after a tenth as warm-up), in ns per call. */
function piece(name: string, n: number, op: (i: number) => unknown): Variant {
  return {
    name,
    run: async () => {
      let kept = 0;
      for (let i = 0; i < n / 10; i++) if (op(i)) kept++;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) if (op(i)) kept++;
      const ns = Number(process.hrtime.bigint() - t0) / n;
      // Every op returns something truthy: a count of 0 means the work was skipped.
      if (kept === 0) throw new Error(`${name}: no result`);
      return { ns };
    },
  };
}

export function hotPathCase(quick: boolean): Case {
  const n = quick ? 20_000 : 300_000;
  const validators = createValidators(catalog);
  const strict = validators.forPublish(TYPE);
  const tolerant = validators.forConsume(TYPE);
  const payloads = Array.from({ length: POOL }, () => campaignCreated());
  const entries = Array.from({ length: POOL }, () => campaignCreatedFields());
  const payload = (i: number) => payloads[i & (POOL - 1)]!;
  const entry = (i: number) => entries[i & (POOL - 1)]!;
  const ratio = (label: string, value: string, over: string) => ({
    label,
    value: `hot-path/${value}/ns`,
    over: `hot-path/${over}/ns`,
  });
  return {
    name: 'hot-path',
    title: 'CPU per event of the hot path pieces (ns, in process)',
    metrics: [{ name: 'ns', unit: 'ns/event', better: 'lower' }],
    variants: [
      piece('json-stringify', n, (i) => JSON.stringify(payload(i))),
      piece('validate-publish', n, (i) => strict(payload(i)) === null),
      piece('event-id', n, () => newEventId()),
      piece('envelope', n, (i) => createEnvelope(catalog, TYPE, payload(i))),
      piece('envelope+encode', n, (i) => encodeEnvelope(createEnvelope(catalog, TYPE, payload(i)))),
      piece('json-parse', n, (i) => JSON.parse(entry(i)[3]!)),
      piece('decode', n, (i) => decodeEntry(entry(i)).ok),
      piece('validate-consume', n, (i) => tolerant(payload(i)) === null),
      piece('decode+validate', n, (i) => {
        const decoded = decodeEntry(entry(i));
        return decoded.ok && tolerant(decoded.envelope.data) === null;
      }),
    ],
    checks: [
      ratio('publish side: envelope+encode / JSON.stringify', 'envelope+encode', 'json-stringify'),
      ratio(
        'publish side: strict validation / JSON.stringify',
        'validate-publish',
        'json-stringify',
      ),
      ratio('consume side: decode / JSON.parse', 'decode', 'json-parse'),
      ratio('consume side: decode+validate / JSON.parse', 'decode+validate', 'json-parse'),
    ],
    note: `${POOL} pooled campaign.created payloads and entries; each variant times its piece alone`,
  };
}
