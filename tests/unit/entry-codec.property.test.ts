/**
 * Property-based tests of the entry and realtime decoders (fast-check,
 * seeded, bounded): whatever Redis hands a consumer — any field list, any
 * record, any document in the `v1` field, any realtime message — decoding
 * never throws, and every failure is `{ ok: false, reason }` with a reason of
 * its own (never the defensive catch-all: nothing inside may throw); a
 * format-1 document decodes exactly when it is an envelope; what publish
 * encodes decodes back to the same envelope.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { decodeRealtimeMessage, encodeRealtimeMessage } from '../../runtime/internal/channels.js';
import {
  type DecodeResult,
  decodeEntry,
  encodeEnvelope,
  FORMAT_FIELD,
} from '../../runtime/internal/entry-codec.js';

/** Fixed, so a failure in CI is reproduced with the same inputs. */
const SEED = 20_261_205;
const RUNS = 300;
function run<Ts>(property: fc.IProperty<Ts>): void {
  fc.assert(property, { seed: SEED, numRuns: RUNS });
}

/** A decode result as promised: an envelope, or a reason of the decoder's own. */
function expectTyped(result: DecodeResult): void {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    const { envelope } = result;
    expect(envelope.specversion).toBe('1.0');
    expect(envelope.datacontenttype).toBe('application/json');
    expect(typeof envelope.id === 'string' && envelope.id !== '').toBe(true);
    expect(typeof envelope.type === 'string' && envelope.type !== '').toBe(true);
    expect(typeof envelope.source).toBe('string');
    expect(typeof envelope.time).toBe('string');
    expect(Object.hasOwn(envelope, 'data')).toBe(true);
  } else {
    expect(typeof result.reason).toBe('string');
    expect(result.reason.length).toBeGreaterThan(0);
    // The defensive catch of decodeEntry: reaching it means something inside threw.
    expect(result.reason).not.toMatch(/^undecodable entry:/);
  }
}

/** Field names a decoder looks for, and a few it does not. */
const fieldName = fc.oneof(
  fc.constantFrom(
    'type',
    FORMAT_FIELD,
    'replayfor',
    'specversion',
    'v2',
    'v10',
    'id',
    'source',
    'time',
    'datacontenttype',
    'data',
    'subject',
    '__proto__',
    'constructor',
    '',
  ),
  fc.string({ maxLength: 12 }),
);

/** JSON without keys the decoder drops on purpose (`__proto__`, `constructor`, `prototype`). */
const plainJson = fc.jsonValue({ maxDepth: 4 }).filter((value) => {
  const text = JSON.stringify(value);
  return !/"(__proto__|constructor|prototype)":/.test(text);
});

/** Text a field value or document may hold: JSON of any shape, JSON-like fragments, anything. */
const documentText = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  fc
    .record(
      {
        id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        source: fc.oneof(fc.string(), fc.integer()),
        time: fc.oneof(fc.string(), fc.boolean()),
        data: fc.jsonValue({ maxDepth: 3 }),
        subject: fc.oneof(fc.string(), fc.integer()),
        traceparent: fc.string(),
      },
      { requiredKeys: [] },
    )
    .map((doc) => JSON.stringify(doc)),
  fc.string(),
  fc.constantFrom('{', '[', '"', '{"id":', '{"__proto__":{"data":1},"id":"x"}', 'null', '1e999'),
);

const fieldList = fc.array(fc.oneof(fieldName, documentText), { maxLength: 24 });

/** A realistic envelope: what `publish` builds. */
const envelope: fc.Arbitrary<Envelope> = fc
  .record(
    {
      id: fc.string({ minLength: 1 }),
      type: fc.string({ minLength: 1 }),
      source: fc.string(),
      time: fc.string(),
      data: plainJson,
      subject: fc.string(),
      correlationid: fc.string(),
      causationid: fc.string(),
      traceparent: fc.string(),
    },
    { requiredKeys: ['id', 'type', 'source', 'time', 'data'] },
  )
  .map((e) => ({ specversion: '1.0', datacontenttype: 'application/json', ...e }) as Envelope);

/** What JSON makes of a value (-0 becomes 0). */
const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('decodeEntry', () => {
  it('never throws on an arbitrary field list, and every failure has its reason', () => {
    run(
      fc.property(fieldList, (fields) => {
        expectTyped(decodeEntry(fields));
      }),
    );
  });

  it('never throws on an arbitrary record of fields', () => {
    run(
      fc.property(fc.dictionary(fieldName, documentText, { maxKeys: 12 }), (record) => {
        expectTyped(decodeEntry(record));
      }),
    );
  });

  it('never throws on an arbitrary v1 document, and decodes it exactly when it is an envelope', () => {
    run(
      fc.property(
        fc.string(),
        documentText,
        fc.option(fc.string(), { nil: undefined }),
        (type, document, replayfor) => {
          const fields = ['type', type, FORMAT_FIELD, document];
          if (replayfor !== undefined) fields.push('replayfor', replayfor);
          const result = decodeEntry(fields);
          expectTyped(result);
          expect(result.ok).toBe(isEnvelopeDocument(type, document));
          if (result.ok) {
            expect(result.envelope.type).toBe(type);
            expect(result.envelope.replayfor).toBe(replayfor);
          }
        },
      ),
    );
  });

  it('never throws on a first-format (seven-field) entry with arbitrary values', () => {
    const legacyField = fc.constantFrom(
      'specversion',
      'id',
      'source',
      'type',
      'time',
      'datacontenttype',
      'data',
      'subject',
      'replayfor',
    );
    run(
      fc.property(fc.array(fc.tuple(legacyField, documentText), { maxLength: 10 }), (pairs) => {
        expectTyped(decodeEntry(['specversion', '1.0', ...pairs.flat()]));
      }),
    );
  });

  it('decodes what publish encodes back to the same envelope', () => {
    run(
      fc.property(envelope, fc.option(fc.string(), { nil: undefined }), (sent, replayfor) => {
        const fields = encodeEnvelope(sent);
        if (replayfor !== undefined) fields.push('replayfor', replayfor);
        const result = decodeEntry(fields);
        expect(result).toEqual({
          ok: true,
          envelope: {
            ...sent,
            data: viaJson(sent.data),
            ...(replayfor === undefined ? {} : { replayfor }),
          },
        });
      }),
    );
  });

  it('refuses an entry over maxBytes with a reason, whatever it holds', () => {
    run(
      fc.property(fieldList, fc.integer({ min: 0, max: 64 }), (fields, maxBytes) => {
        const result = decodeEntry(fields, maxBytes);
        expectTyped(result);
        const size = fields.reduce((sum, f) => sum + Buffer.byteLength(f), 0);
        if (size > maxBytes) expect(result).toMatchObject({ ok: false });
      }),
    );
  });
});

describe('decodeRealtimeMessage', () => {
  it('never throws on arbitrary text, and every failure has its reason', () => {
    run(
      fc.property(
        fc.oneof(
          documentText,
          fc.string().map((s) => `{"v":1,"type":${JSON.stringify(s)}`),
        ),
        (text) => expectTyped(decodeRealtimeMessage(text)),
      ),
    );
  });

  it('decodes what a realtime publish sends back to the same envelope', () => {
    run(
      fc.property(envelope, (sent) => {
        expect(decodeRealtimeMessage(encodeRealtimeMessage(sent))).toEqual({
          ok: true,
          envelope: { ...sent, data: viaJson(sent.data) },
        });
      }),
    );
  });
});

/**
 * The oracle of format 1: the document is a JSON object with a non-empty
 * string `id`, `source` and `time` strings when present, a `data` key, and
 * string optional attributes; the type field is not empty.
 */
function isEnvelopeDocument(type: string, document: string): boolean {
  if (type === '') return false;
  let doc: unknown;
  try {
    doc = JSON.parse(document, (key, value) =>
      key === '__proto__' || key === 'constructor' || key === 'prototype' ? undefined : value,
    );
  } catch {
    return false;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  if (typeof d.id !== 'string' || d.id === '') return false;
  for (const name of ['source', 'time', 'subject', 'correlationid', 'causationid', 'traceparent']) {
    if (d[name] !== undefined && typeof d[name] !== 'string') return false;
  }
  return Object.hasOwn(d, 'data');
}
