/**
 * Realtime channel names and messages, shared by both buses.
 *
 * The concrete channel of an event is the channel's `prefix` followed by its
 * `pattern` with each `{param}` replaced by that payload field. A subscription
 * with every param given is one exact channel; with some missing it is a glob
 * (Redis PSUBSCRIBE syntax) with `*` in their place.
 */

import { didYouMean } from '../../schema/closest-name.js';
import type { Envelope, RealtimeParams } from '../bus.js';
import type { CatalogChannel } from '../catalog.js';
import { CatalogMismatchError } from '../errors.js';
import {
  type DecodeResult,
  encodeDocument,
  entryWithinBytes,
  envelopeOf,
  MAX_ENTRY_BYTES,
} from './entry-codec.js';
import { jsonErrorReason, parseJsonSafely } from './safe-json.js';

const PARAM = /\{([A-Za-z_$][\w$]*)\}/g;

/** The concrete channel an event with payload `data` is published on. */
export function channelName(channel: CatalogChannel, data: unknown): string {
  const record = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  return (
    channel.prefix +
    channel.pattern.replace(PARAM, (_, param: string) => String(record[param] ?? ''))
  );
}

/** Escapes the glob characters of Redis PSUBSCRIBE (`* ? [ ] \`). */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** What to subscribe to for `params`: one exact channel, or a glob. */
export type ChannelSubscription =
  | { readonly exact: true; readonly name: string }
  | { readonly exact: false; readonly glob: string };

/**
 * The exact channel (every param given) or glob (missing params as `*`) of a
 * subscription. Throws `CatalogMismatchError` for a param the channel does
 * not have.
 */
export function channelSubscription(
  channel: CatalogChannel,
  params: RealtimeParams,
): ChannelSubscription {
  for (const name of Object.keys(params)) {
    if (!channel.params.includes(name)) {
      throw new CatalogMismatchError(
        `channel "${channel.name}" has no param "${name}"${didYouMean(name, channel.params)}; its pattern is "${channel.pattern}"`,
      );
    }
  }
  let exact = true;
  let glob = escapeGlob(channel.prefix);
  let name = channel.prefix;
  let last = 0;
  for (const match of channel.pattern.matchAll(PARAM)) {
    const literal = channel.pattern.slice(last, match.index);
    glob += escapeGlob(literal);
    name += literal;
    const value = params[match[1]!];
    if (value === undefined) {
      exact = false;
      glob += '*';
    } else {
      glob += escapeGlob(String(value));
      name += String(value);
    }
    last = match.index + match[0].length;
  }
  const tail = channel.pattern.slice(last);
  return exact ? { exact, name: name + tail } : { exact, glob: glob + escapeGlob(tail) };
}

/** A RegExp matching what a Redis glob (`*`, `?`, `[...]`, `\` escapes) matches. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) source += escapeRegExp(glob[++i]!);
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        let set = glob.slice(i + 1, end);
        if (set.startsWith('^')) set = `^${set.slice(1).replace(/\\/g, '\\\\')}`;
        else set = set.replace(/\\/g, '\\\\');
        source += `[${set}]`;
        i = end;
      }
    } else source += escapeRegExp(c);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * The realtime message of an envelope: `{"v":1,"type":...}` followed by the
 * keys of the entry document (entry-codec.ts), one JSON object. `document`
 * is that document when the stream entry has it already, so a stored and
 * realtime event is stringified once.
 */
export function encodeRealtimeMessage(envelope: Envelope, document?: string): string {
  const doc = document ?? encodeDocument(envelope);
  return `{"v":1,"type":${JSON.stringify(envelope.type)},${doc.slice(1)}`;
}

/**
 * Decodes a realtime message; never throws. Same checks as `decodeEntry`,
 * size first. Reads the messages of the first format too (a CloudEvents
 * JSON object with `specversion`).
 */
export function decodeRealtimeMessage(
  text: string,
  maxBytes: number = MAX_ENTRY_BYTES,
): DecodeResult {
  if (!entryWithinBytes([text], maxBytes)) {
    return { ok: false, reason: `message larger than ${maxBytes} bytes` };
  }
  let parsed: unknown;
  try {
    parsed = parseJsonSafely(text);
  } catch (error) {
    return { ok: false, reason: jsonErrorReason('message', error) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'message is not a JSON object' };
  }
  const m = parsed as Record<string, unknown>;
  if (m.v === undefined && m.specversion !== undefined) {
    if (m.specversion !== '1.0') return { ok: false, reason: 'unsupported specversion' };
  } else if (m.v !== 1) {
    return {
      ok: false,
      reason: `message format ${JSON.stringify(m.v)?.slice(0, 20)} is not known to this version of schemabus; upgrade the subscriber`,
    };
  }
  if (typeof m.type !== 'string' || m.type === '') {
    return { ok: false, reason: 'message has no "type"' };
  }
  return envelopeOf(m.type, m, undefined, 'message');
}
