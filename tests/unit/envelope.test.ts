import { describe, expect, it } from 'vitest';
import { CatalogMismatchError } from '../../runtime/errors.js';
import { decodeEntry, encodeEnvelope } from '../../runtime/internal/entry-codec.js';
import { fieldsToRecord } from '../../runtime/internal/entry-fields.js';
import { createEnvelope } from '../../runtime/internal/envelope.js';
import { parseJsonSafely } from '../../runtime/internal/safe-json.js';
import { createTestCatalog, orderPlacedData } from '../contract/catalog.js';

const catalog = createTestCatalog('unit');

describe('envelope', () => {
  it('round-trips every attribute through stream fields', () => {
    const envelope = createEnvelope(catalog, 'order.placed', orderPlacedData(), {
      id: 'evt-1',
      time: new Date('2024-05-01T10:00:00.000Z'),
      source: 'checkout',
      subject: 'order/1',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    const fields = encodeEnvelope({ ...envelope, replayfor: 'billing' });
    expect(fields.filter((_, i) => i % 2 === 0)).toEqual(['type', 'v1', 'replayfor']);
    expect(Object.keys(JSON.parse(fields[3]!))).toEqual([
      'id',
      'source',
      'time',
      'subject',
      'correlationid',
      'causationid',
      'traceparent',
      'data',
    ]);
    const decoded = decodeEntry(fields);
    expect(decoded).toEqual({ ok: true, envelope: { ...envelope, replayfor: 'billing' } });
    expect(decodeEntry(fieldsToRecord(fields))).toEqual(decoded);
    expect(envelope.time).toBe('2024-05-01T10:00:00.000Z');
  });

  it('fills defaults: new id, now, catalogue source', () => {
    const envelope = createEnvelope(catalog, 'order.placed', orderPlacedData());
    expect(envelope.specversion).toBe('1.0');
    expect(envelope.source).toBe('contract-tests');
    expect(envelope.datacontenttype).toBe('application/json');
    expect(Date.parse(envelope.time)).toBeGreaterThan(Date.now() - 5000);
    expect(envelope.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(envelope).not.toHaveProperty('subject');
  });

  it('rejects an unknown type with a hint', () => {
    expect(() => createEnvelope(catalog, 'order.placd', {})).toThrow(CatalogMismatchError);
    expect(() => createEnvelope(catalog, 'order.placd', {})).toThrow(/did you mean "order.placed"/);
  });

  it('stores the type, then the rest as one JSON document without the constant attributes', () => {
    const envelope = createEnvelope(catalog, 'order.placed', { a: 1 }, { id: 'e1' });
    expect(encodeEnvelope(envelope)).toEqual([
      'type',
      'order.placed',
      'v1',
      `{"id":"e1","source":"contract-tests","time":"${envelope.time}","data":{"a":1}}`,
    ]);
  });

  it('stores undefined data as null', () => {
    const fields = encodeEnvelope(createEnvelope(catalog, 'order.placed', undefined));
    expect(decodeEntry(fields)).toMatchObject({ ok: true, envelope: { data: null } });
  });
});

/** A format-1 entry of type `t` whose document is `doc`. */
const entry = (doc: string, type = 't') => ['type', type, 'v1', doc];

describe('decodeEntry rejections', () => {
  it.each([
    [['v1', '{"id":"x","data":1}'], /"type"/],
    [entry('{"data":1}'), /no "id"/],
    [entry('{"id":"","data":1}'), /no "id"/],
    [entry('{"id":"x"}'), /no "data"/],
    [entry('{"id":"x","source":3,"data":1}'), /"source" is not a string/],
    [entry('{"id":"x","subject":[],"data":1}'), /"subject" is not a string/],
    [entry('[1]'), /not a JSON object/],
    [entry('{"id":"x","data":'), /field "v1" is not JSON \(unexpected end/],
    [['type', 't', 'data', '{}'], /not a schemabus entry/],
    [['type', 't', 'v2', '{}'], /format v2 is not known/],
  ])('%j', (fields, reason) => {
    const result = decodeEntry(fields);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('checks the size before parsing', () => {
    const big = JSON.stringify({ id: 'x', data: 'x'.repeat(2000) });
    const result = decodeEntry(entry(big), 1000);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than 1000/) });
    // multi-byte characters count as bytes, not UTF-16 units
    const euro = JSON.stringify({ id: 'x', data: '€'.repeat(300) }); // > 900 bytes
    expect(decodeEntry(entry(euro), 900).ok).toBe(false);
    expect(decodeEntry(entry(euro), 1000).ok).toBe(true);
  });

  it('caps the nesting depth of the document at 64 levels, strings and shallow wide documents aside', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const doc = (data: string) => entry(`{"id":"x","data":${data}}`);
    // The document is one level itself: data may nest 63 more.
    expect(decodeEntry(doc(nested(63))).ok).toBe(true);
    expect(decodeEntry(doc(nested(64)))).toEqual({
      ok: false,
      reason: 'field "v1" nests arrays and objects deeper than 64 levels',
    });
    expect(decodeEntry(doc(nested(200_000))).ok).toBe(false);
    // Brackets inside strings do not count; many shallow objects are fine.
    expect(decodeEntry(doc(JSON.stringify('['.repeat(500)))).ok).toBe(true);
    const wide = JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ i })));
    expect(decodeEntry(doc(wide)).ok).toBe(true);
    expect(decodeEntry(doc(`"\\"${'['.repeat(100)}"`)).ok).toBe(true);
  });

  it('caps the number of fields at 64', () => {
    const many = [...entry('{"id":"x","data":1}')];
    for (let i = 0; i < 63; i++) many.push(`extra${i}`, 'v');
    expect(decodeEntry(many).ok).toBe(false);
    expect(decodeEntry(many)).toMatchObject({ reason: 'entry has 65 fields, more than 64' });
    expect(decodeEntry(many.slice(0, -2)).ok).toBe(true);
  });

  it('never throws, whatever it is given', () => {
    const weird: unknown[] = [[], ['data'], [null, null], {}, { data: 'x' }, ['type', 't', 'v1']];
    for (const fields of weird) {
      expect(() => decodeEntry(fields as string[])).not.toThrow();
      expect(decodeEntry(fields as string[]).ok).toBe(false);
    }
  });

  it('reads its fields in any order, ignores unknown ones and keeps the first of repeated ones', () => {
    const result = decodeEntry([
      'x',
      'y',
      'v1',
      '{"id":"a","data":2,"extra":true}',
      'type',
      't',
      'type',
      'u',
      'replayfor',
      'billing',
    ]);
    expect(result).toEqual({
      ok: true,
      envelope: {
        specversion: '1.0',
        id: 'a',
        source: '',
        type: 't',
        time: '',
        datacontenttype: 'application/json',
        data: 2,
        replayfor: 'billing',
      },
    });
  });
});

describe('decodeEntry of the first, seven-field format', () => {
  const legacy = {
    specversion: '1.0',
    id: 'evt-1',
    source: 'checkout',
    type: 'order.placed',
    time: '2024-05-01T10:00:00.000Z',
    datacontenttype: 'application/json',
    data: '{"a":1}',
  };

  it('decodes every attribute', () => {
    expect(decodeEntry({ ...legacy, subject: 'o/1', replayfor: 'billing' })).toEqual({
      ok: true,
      envelope: { ...legacy, data: { a: 1 }, subject: 'o/1', replayfor: 'billing' },
    });
  });

  it.each([
    ['id', /"id"/],
    ['type', /"type"/],
    ['data', /"data"/],
  ])('missing %s', (name, reason) => {
    const { [name as keyof typeof legacy]: _, ...rest } = legacy;
    const result = decodeEntry(rest);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('bad JSON data, wrong specversion and content type', () => {
    expect(decodeEntry({ ...legacy, data: '{nope' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/data is not JSON/),
    });
    expect(decodeEntry({ ...legacy, specversion: '0.3' }).ok).toBe(false);
    expect(decodeEntry({ ...legacy, datacontenttype: 'text/xml' }).ok).toBe(false);
  });

  it('drops prototype-polluting keys', () => {
    const data =
      '{"a":1,"__proto__":{"polluted":true},"nested":{"constructor":{"prototype":{"x":1}},"ok":2}}';
    const result = decodeEntry(entry(`{"id":"x","data":${data}}`));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.envelope.data as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['a', 'nested']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expect(value.nested).toEqual({ ok: 2 });
    const merged = Object.assign({}, value);
    expect((merged as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parseJsonSafely('{"b":"constructor"}')).toEqual({ b: 'constructor' });
  });

  it('drops polluting keys spelled with \\u escapes', () => {
    const texts = [
      String.raw`{"\u005f_proto__":{"polluted":true},"a":1}`,
      String.raw`{"__pr\u006fto__":{"polluted":true},"a":1}`,
      String.raw`{"n":{"c\u006fnstructor":{"pr\u006ftotype":{"x":1}},"ok":2},"a":1}`,
      String.raw`[{"\u005F\u005Fproto\u005F\u005F":{"polluted":true}}]`,
    ];
    for (const text of texts) {
      const value = parseJsonSafely(text) as Record<string, unknown>;
      const objects = Array.isArray(value) ? value : [value, value.n];
      for (const object of objects) {
        if (object === undefined) continue;
        for (const key of ['__proto__', 'constructor', 'prototype']) {
          expect(Object.hasOwn(object, key)).toBe(false);
        }
        expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
        expect((Object.assign({}, object) as Record<string, unknown>).polluted).toBeUndefined();
      }
    }
    // An escape that spells nothing dangerous is kept.
    expect(parseJsonSafely(String.raw`{"\u0061":"\u00e9"}`)).toEqual({ a: 'é' });
  });
});
