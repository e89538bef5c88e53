/**
 * Entries of the first stored format (schemabus 0.1 before format 1): one
 * field per CloudEvents attribute, `data` as JSON. Only read, never written,
 * so that entries stored by that version are still consumed after the
 * upgrade. Fields: specversion (`1.0`) id source type time datacontenttype
 * (`application/json`) data [subject] [correlationid] [causationid]
 * [traceparent] [replayfor].
 */
import type { Envelope } from '../bus.js';
import type { DecodeResult } from './entry-codec.js';
import { jsonErrorReason, parseJsonSafely } from './safe-json.js';

const OPTIONAL = ['subject', 'correlationid', 'causationid', 'traceparent', 'replayfor'] as const;

/** Decodes a legacy entry, whose size the caller checked already. Never throws. */
export function decodeLegacyEntry(list: readonly string[]): DecodeResult {
  const found = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) {
    if (!found.has(list[i]!)) found.set(list[i]!, list[i + 1]!);
  }
  const specversion = found.get('specversion');
  if (specversion !== '1.0') {
    return { ok: false, reason: `unsupported specversion "${String(specversion).slice(0, 20)}"` };
  }
  const id = found.get('id');
  const type = found.get('type');
  const data = found.get('data');
  const datacontenttype = found.get('datacontenttype');
  if (!id) return { ok: false, reason: 'missing field "id"' };
  if (!type) return { ok: false, reason: 'missing field "type"' };
  if (data === undefined) return { ok: false, reason: 'missing field "data"' };
  if (datacontenttype !== undefined && datacontenttype !== 'application/json') {
    return { ok: false, reason: `unsupported datacontenttype "${datacontenttype.slice(0, 50)}"` };
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
    source: found.get('source') ?? '',
    type,
    time: found.get('time') ?? '',
    datacontenttype: 'application/json',
    data: parsed,
  };
  for (const name of OPTIONAL) {
    const value = found.get(name);
    if (value !== undefined) envelope[name] = value;
  }
  return { ok: true, envelope };
}
