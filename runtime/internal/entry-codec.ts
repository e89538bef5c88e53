/**
 * The stored form of an envelope (entry format 1), written by publish and
 * read by consumers, `tail` and the DLQ tools.
 *
 * An entry has two fields: `type` (the event type, so a group skips types
 * it does not handle without parsing anything, and `XRANGE` shows it) and
 * `v1` (the format marker, whose value is the rest of the envelope as one
 * JSON document: `{"id","source","time",["subject","correlationid",
 * "causationid","traceparent",]"data"}`). specversion and datacontenttype
 * are constant and implied by the marker, not stored. A DLQ replay appends
 * a third field, `replayfor`. Every entry has the same field names, which
 * Redis stores once per listpack node, so an entry costs little more than
 * its document.
 *
 * The decoder also reads entries of the first format (one field per
 * attribute, see legacy-entry.ts), and refuses, as undecodable, an entry
 * of a later format (`v2`...) with a reason that says so.
 */
import type { Envelope } from '../bus.js';
import { type EntryFields, recordToFields } from './entry-fields.js';
import { decodeLegacyEntry } from './legacy-entry.js';
import { jsonErrorReason, parseJsonSafely } from './safe-json.js';

/** Largest stream entry (all field names and values, UTF-8 bytes) decoded or published. @default 1 MiB */
export const MAX_ENTRY_BYTES = 1024 * 1024;
/** The most fields an entry may have (format 1 writes 2, or 3 with `replayfor`; the first format up to 12). */
export const MAX_ENTRY_FIELDS = 64;

/** The format marker: the name of the field that holds the document. */
export const FORMAT_FIELD = 'v1';

/** Result of {@link decodeEntry}: an envelope, or why the entry cannot be one. */
export type DecodeResult =
  | { readonly ok: true; readonly envelope: Envelope }
  | { readonly ok: false; readonly reason: string };

/** The optional attributes a document may hold, in the order they are written. */
const OPTIONAL_ATTRIBUTES = [
  'subject',
  'correlationid',
  'causationid',
  'traceparent',
  'tracestate',
] as const;

/**
 * The JSON document of an envelope: every attribute but the type and the
 * implied constants, `data` last, in one `JSON.stringify`. `undefined`
 * data (not JSON) is stored as null.
 */
export function encodeDocument(envelope: Envelope): string {
  const { id, source, time, subject, correlationid, causationid, traceparent, tracestate } =
    envelope;
  const raw = envelope.data;
  const data =
    raw === undefined || typeof raw === 'function' || typeof raw === 'symbol' ? null : raw;
  if (
    subject === undefined &&
    correlationid === undefined &&
    causationid === undefined &&
    traceparent === undefined &&
    tracestate === undefined
  ) {
    return JSON.stringify({ id, source, time, data });
  }
  return JSON.stringify({
    id,
    source,
    time,
    subject,
    correlationid,
    causationid,
    traceparent,
    tracestate,
    data,
  });
}

/** The field/value list of an envelope, for XADD: `type <type> v1 <document>` [`replayfor <group>`]. */
export function encodeEnvelope(envelope: Envelope): string[] {
  const fields = ['type', envelope.type, FORMAT_FIELD, encodeDocument(envelope)];
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

/**
 * Decodes a stream entry into an envelope. Never throws: a malformed entry
 * gives `{ ok: false, reason }`. The field count (MAX_ENTRY_FIELDS) and the
 * byte size are checked before any parsing, the nesting depth of the
 * document (MAX_JSON_DEPTH) before it is parsed. Format 1 needs a non-empty `type` and a `v1` document with a
 * non-empty `id` and `data`; `source` and `time` default to `''`. Unknown
 * fields and document keys are ignored.
 */
export function decodeEntry(
  fields: readonly string[] | EntryFields,
  maxBytes: number = MAX_ENTRY_BYTES,
): DecodeResult {
  try {
    const list = Array.isArray(fields)
      ? (fields as readonly string[])
      : recordToFields(fields as EntryFields);
    if (list.length > 2 * MAX_ENTRY_FIELDS) {
      return {
        ok: false,
        reason: `entry has ${Math.floor(list.length / 2)} fields, more than ${MAX_ENTRY_FIELDS}`,
      };
    }
    if (!entryWithinBytes(list, maxBytes)) {
      return { ok: false, reason: `entry larger than ${maxBytes} bytes` };
    }
    // What publish writes: type, v1 and perhaps replayfor, in this order.
    if (list.length >= 4 && list[0] === 'type' && list[2] === FORMAT_FIELD) {
      const replayfor = list.length >= 6 && list[4] === 'replayfor' ? list[5] : undefined;
      return decodeDocument(list[1]!, list[3]!, replayfor);
    }
    return decodeScanned(list);
  } catch (error) {
    // Defensive: nothing above should throw, but a consumer loop must never die here.
    return { ok: false, reason: `undecodable entry: ${String(error).slice(0, 200)}` };
  }
}

/** Any other field order, the legacy format, or not a schemabus entry at all. */
function decodeScanned(list: readonly string[]): DecodeResult {
  let type: string | undefined;
  let document: string | undefined;
  let replayfor: string | undefined;
  let legacy = false;
  let later: string | undefined;
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = list[i]!;
    if (name === 'type') type ??= list[i + 1];
    else if (name === FORMAT_FIELD) document ??= list[i + 1];
    else if (name === 'replayfor') replayfor ??= list[i + 1];
    else if (name === 'specversion') legacy = true;
    else if (/^v\d+$/.test(name)) later ??= name;
  }
  if (document !== undefined) return decodeDocument(type ?? '', document, replayfor);
  if (legacy) return decodeLegacyEntry(list);
  if (later !== undefined) {
    return {
      ok: false,
      reason: `entry format ${later} is not known to this version of schemabus (it reads v1 and the first, seven-field format); upgrade the consumer`,
    };
  }
  return { ok: false, reason: `not a schemabus entry: no "${FORMAT_FIELD}" field` };
}

/** The envelope of a format-1 document of event `type`. */
function decodeDocument(
  type: string,
  document: string,
  replayfor: string | undefined,
): DecodeResult {
  if (type === '') return { ok: false, reason: 'missing field "type"' };
  let parsed: unknown;
  try {
    parsed = parseJsonSafely(document);
  } catch (error) {
    return { ok: false, reason: jsonErrorReason(`field "${FORMAT_FIELD}"`, error) };
  }
  return envelopeOf(type, parsed, replayfor, `field "${FORMAT_FIELD}"`);
}

/**
 * Checks a parsed document (of an entry or a realtime message) and builds
 * its envelope; `what` names the document in reasons.
 */
export function envelopeOf(
  type: string,
  parsed: unknown,
  replayfor: string | undefined,
  what: string,
): DecodeResult {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: `${what} is not a JSON object` };
  }
  const doc = parsed as Record<string, unknown>;
  const { id, source = '', time = '' } = doc;
  if (typeof id !== 'string' || id === '') return { ok: false, reason: `${what} has no "id"` };
  if (typeof source !== 'string') return { ok: false, reason: `${what}: "source" is not a string` };
  if (typeof time !== 'string') return { ok: false, reason: `${what}: "time" is not a string` };
  if (!Object.hasOwn(doc, 'data')) return { ok: false, reason: `${what} has no "data"` };
  const envelope: { -readonly [K in keyof Envelope]: Envelope[K] } = {
    specversion: '1.0',
    id,
    source,
    type,
    time,
    datacontenttype: 'application/json',
    data: doc.data,
  };
  for (const name of OPTIONAL_ATTRIBUTES) {
    const value = doc[name];
    if (value === undefined) continue;
    if (typeof value !== 'string')
      return { ok: false, reason: `${what}: "${name}" is not a string` };
    envelope[name] = value;
  }
  if (replayfor !== undefined) envelope.replayfor = replayfor;
  return { ok: true, envelope };
}
