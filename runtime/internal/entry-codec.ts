/**
 * The stream-entry form of an envelope, written by publish and read by
 * consumers, `tail` and the DLQ tools.
 *
 * An entry stores each attribute as its own field and `data` as JSON, so
 * `redis-cli XRANGE` stays readable. Field order: specversion id source type
 * time datacontenttype data [subject] [correlationid] [causationid]
 * [traceparent] [replayfor].
 */
import type { Envelope } from '../bus.js';
import { type EntryFields, recordToFields } from './entry-fields.js';
import { jsonErrorReason, parseJsonSafely } from './safe-json.js';

/** Largest stream entry (all field names and values, UTF-8 bytes) decoded or published. @default 1 MiB */
export const MAX_ENTRY_BYTES = 1024 * 1024;

/** Result of {@link decodeEntry}: an envelope, or why the entry cannot be one. */
export type DecodeResult =
  | { readonly ok: true; readonly envelope: Envelope }
  | { readonly ok: false; readonly reason: string };

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
