/**
 * The CloudEvents 1.0 envelope and its stream-entry form.
 *
 * On a stream, an entry stores each attribute as its own field and `data` as
 * JSON, so `redis-cli XRANGE` stays readable. Field order:
 * specversion id source type time datacontenttype data [subject]
 * [correlationid] [causationid] [traceparent] [replayfor].
 */

import { didYouMean } from '../../schema/closest-name.js';
import type { Envelope, PublishMeta } from '../bus.js';
import type { Catalog } from '../catalog.js';
import { CatalogMismatchError } from '../errors.js';
import { newEventId } from './ids.js';

/** Largest stream entry (all field names and values, UTF-8 bytes) decoded or published. @default 1 MiB */
export const MAX_ENTRY_BYTES = 1024 * 1024;

/** Result of {@link decodeEntry}: an envelope, or why the entry cannot be one. */
export type DecodeResult =
  | { readonly ok: true; readonly envelope: Envelope }
  | { readonly ok: false; readonly reason: string };

/** Stream entry fields as a record. */
export type EntryFields = { readonly [field: string]: string };

let lastTimeMs = -1;
let lastTimeIso = '';

/** `new Date(ms).toISOString()`, cached for the current millisecond. */
function isoNow(ms: number): string {
  if (ms !== lastTimeMs) {
    lastTimeMs = ms;
    lastTimeIso = new Date(ms).toISOString();
  }
  return lastTimeIso;
}

/**
 * Builds the envelope of one event. Does not validate `data` (see
 * `createValidators`). Throws `CatalogMismatchError` for a type the catalogue
 * does not know.
 */
export function createEnvelope(
  catalog: Catalog,
  type: string,
  data: unknown,
  meta?: PublishMeta,
  now: number = Date.now(),
): Envelope {
  if (catalog.events[type] === undefined) throw unknownType(catalog, type);
  if (meta === undefined) {
    return {
      specversion: '1.0',
      id: newEventId(now),
      source: catalog.source,
      type,
      time: isoNow(now),
      datacontenttype: 'application/json',
      data,
    };
  }
  checkMeta(meta);
  const time = meta.time;
  const envelope: {
    -readonly [K in keyof Envelope]: Envelope[K];
  } = {
    specversion: '1.0',
    id: meta.id ?? newEventId(now),
    source: meta.source ?? catalog.source,
    type,
    time: time === undefined ? isoNow(now) : typeof time === 'string' ? time : time.toISOString(),
    datacontenttype: 'application/json',
    data,
  };
  if (meta.subject !== undefined) envelope.subject = meta.subject;
  if (meta.correlationId !== undefined) envelope.correlationid = meta.correlationId;
  if (meta.causationId !== undefined) envelope.causationid = meta.causationId;
  if (meta.traceparent !== undefined) envelope.traceparent = meta.traceparent;
  return envelope;
}

const META_STRINGS = ['id', 'source', 'subject', 'correlationId', 'causationId', 'traceparent'];

/**
 * Throws a `TypeError` naming the attribute when `meta` (from plain
 * JavaScript, say) holds a non-string attribute or a `time` that is neither a
 * string nor a Date: before anything is sent.
 */
function checkMeta(meta: PublishMeta): void {
  const record = meta as unknown as Record<string, unknown>;
  for (const name of META_STRINGS) {
    const value = record[name];
    if (value !== undefined && typeof value !== 'string') {
      throw new TypeError(`publish meta.${name} must be a string, got ${describeType(value)}`);
    }
  }
  const time: unknown = meta.time;
  if (time !== undefined && typeof time !== 'string' && !(time instanceof Date)) {
    throw new TypeError(`publish meta.time must be a string or a Date, got ${describeType(time)}`);
  }
}

function describeType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** The error for an event type the catalogue does not know. */
export function unknownType(catalog: Catalog, type: string): CatalogMismatchError {
  return new CatalogMismatchError(
    `unknown event type "${type}": catalogue "${catalog.namespace}" (fingerprint ${catalog.fingerprint.slice(0, 12)}) has no such event${didYouMean(type, Object.keys(catalog.events))}; add it to events.schema.yaml and run codegen, or deploy the service with the current generated code`,
  );
}

/** Every stream-entry field an envelope can have, in the order {@link encodeEnvelope} writes them. */
export const ENVELOPE_FIELDS: readonly string[] = [
  'specversion',
  'id',
  'source',
  'type',
  'time',
  'datacontenttype',
  'data',
  'subject',
  'correlationid',
  'causationid',
  'traceparent',
  'replayfor',
];

/**
 * The flat field/value list of an envelope, for XADD. `data` is serialised
 * with exactly one `JSON.stringify`.
 */
export function encodeEnvelope(envelope: Envelope): string[] {
  const fields = [
    'specversion',
    envelope.specversion,
    'id',
    envelope.id,
    'source',
    envelope.source,
    'type',
    envelope.type,
    'time',
    envelope.time,
    'datacontenttype',
    envelope.datacontenttype,
    'data',
    // `undefined` data is not JSON; store it as null.
    JSON.stringify(envelope.data) ?? 'null',
  ];
  if (envelope.subject !== undefined) fields.push('subject', envelope.subject);
  if (envelope.correlationid !== undefined) fields.push('correlationid', envelope.correlationid);
  if (envelope.causationid !== undefined) fields.push('causationid', envelope.causationid);
  if (envelope.traceparent !== undefined) fields.push('traceparent', envelope.traceparent);
  if (envelope.replayfor !== undefined) fields.push('replayfor', envelope.replayfor);
  return fields;
}

/**
 * UTF-8 byte size of all names and values of an entry, computed only as far
 * as needed to compare it with `limit`; returns `true` when within it.
 */
export function entryWithinBytes(fields: readonly string[], limit: number): boolean {
  let chars = 0;
  for (const f of fields) chars += f.length;
  // A UTF-16 code unit is at most 3 UTF-8 bytes.
  if (chars * 3 <= limit) return true;
  if (chars > limit) return false;
  let bytes = 0;
  for (const f of fields) bytes += Buffer.byteLength(f, 'utf8');
  return bytes <= limit;
}

/** Converts a flat field/value list (as Redis returns it) to a record; repeated names keep the first value. */
export function fieldsToRecord(fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = Object.create(null);
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!;
    if (!(name in record)) record[name] = fields[i + 1]!;
  }
  return record;
}

/** The value of the first field `name` of a flat field/value list, if any. */
export function fieldValue(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** Converts a record to a flat field/value list. */
export function recordToFields(record: EntryFields): string[] {
  const fields: string[] = [];
  for (const name of Object.keys(record)) fields.push(name, record[name]!);
  return fields;
}

function dropPollutingKeys(key: string, value: unknown): unknown {
  return key === '__proto__' || key === 'constructor' || key === 'prototype' ? undefined : value;
}

/**
 * `JSON.parse` that drops every `__proto__`, `constructor` and `prototype`
 * key, so no later merge of the result can reach a prototype. Pays for the
 * reviver only when the text contains one of those words, or any `\u`
 * escape (a key can spell them with escapes: `"\u005f_proto__"`). Throws
 * like `JSON.parse`.
 */
export function parseJsonSafely(text: string): unknown {
  // `__proto__` and `prototype` both contain "proto"; `includes` is much cheaper than a regex here.
  return text.includes('proto') || text.includes('constructor') || text.includes('\\u')
    ? JSON.parse(text, dropPollutingKeys)
    : JSON.parse(text);
}

/**
 * A fixed description of a `JSON.parse` failure of `what`: `<what> is not
 * JSON`, plus `(at position N)` or `(unexpected end of input)` when the
 * engine reports one. The engine's own message is never used: on Node 20 it
 * quotes the input (`Unexpected token 'x', "...card 4111..." is not valid
 * JSON`), and this text ends up in DLQ entries and log lines.
 */
export function jsonErrorReason(what: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /\bat position (\d+)/.exec(message);
  if (position) return `${what} is not JSON (at position ${position[1]})`;
  if (/^Unexpected end of JSON input/.test(message)) {
    return `${what} is not JSON (unexpected end of input)`;
  }
  return `${what} is not JSON`;
}

/**
 * Decodes a stream entry into an envelope. Never throws: a malformed entry
 * gives `{ ok: false, reason }`. The byte size is checked before any parsing;
 * `specversion` (must be `1.0`), `id`, `type` and `data` (JSON) are required;
 * unknown fields are ignored; `source`, `time` default to `''` when absent.
 */
export function decodeEntry(
  fields: readonly string[] | EntryFields,
  maxBytes: number = MAX_ENTRY_BYTES,
): DecodeResult {
  try {
    const list = Array.isArray(fields)
      ? (fields as readonly string[])
      : recordToFields(fields as EntryFields);
    if (!entryWithinBytes(list, maxBytes)) {
      return { ok: false, reason: `entry larger than ${maxBytes} bytes` };
    }
    let specversion: string | undefined;
    let id: string | undefined;
    let source: string | undefined;
    let type: string | undefined;
    let time: string | undefined;
    let datacontenttype: string | undefined;
    let data: string | undefined;
    let subject: string | undefined;
    let correlationid: string | undefined;
    let causationid: string | undefined;
    let traceparent: string | undefined;
    let replayfor: string | undefined;
    for (let i = 0; i + 1 < list.length; i += 2) {
      const value = list[i + 1]!;
      switch (list[i]) {
        case 'specversion':
          specversion ??= value;
          break;
        case 'id':
          id ??= value;
          break;
        case 'source':
          source ??= value;
          break;
        case 'type':
          type ??= value;
          break;
        case 'time':
          time ??= value;
          break;
        case 'datacontenttype':
          datacontenttype ??= value;
          break;
        case 'data':
          data ??= value;
          break;
        case 'subject':
          subject ??= value;
          break;
        case 'correlationid':
          correlationid ??= value;
          break;
        case 'causationid':
          causationid ??= value;
          break;
        case 'traceparent':
          traceparent ??= value;
          break;
        case 'replayfor':
          replayfor ??= value;
          break;
      }
    }
    if (specversion === undefined) return { ok: false, reason: 'missing field "specversion"' };
    if (specversion !== '1.0') {
      return { ok: false, reason: `unsupported specversion "${specversion.slice(0, 20)}"` };
    }
    if (!id) return { ok: false, reason: 'missing field "id"' };
    if (!type) return { ok: false, reason: 'missing field "type"' };
    if (data === undefined) return { ok: false, reason: 'missing field "data"' };
    if (datacontenttype !== undefined && datacontenttype !== 'application/json') {
      return {
        ok: false,
        reason: `unsupported datacontenttype "${datacontenttype.slice(0, 50)}"`,
      };
    }
    let parsed: unknown;
    try {
      parsed = parseJsonSafely(data);
    } catch (error) {
      return { ok: false, reason: jsonErrorReason('data', error) };
    }
    const envelope: { -readonly [K in keyof Envelope]: Envelope[K] } = {
      specversion: '1.0',
      id,
      source: source ?? '',
      type,
      time: time ?? '',
      datacontenttype: 'application/json',
      data: parsed,
    };
    if (subject !== undefined) envelope.subject = subject;
    if (correlationid !== undefined) envelope.correlationid = correlationid;
    if (causationid !== undefined) envelope.causationid = causationid;
    if (traceparent !== undefined) envelope.traceparent = traceparent;
    if (replayfor !== undefined) envelope.replayfor = replayfor;
    return { ok: true, envelope };
  } catch (error) {
    // Defensive: nothing above should throw, but a consumer loop must never die here.
    return { ok: false, reason: `undecodable entry: ${String(error).slice(0, 200)}` };
  }
}
