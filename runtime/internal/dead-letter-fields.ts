/**
 * The stored form of a dead letter, shared by both buses: seven `dlq:*`
 * fields first (in this order), then the original entry's fields as stored.
 * Positional decoding keeps an original field that happens to be named
 * `dlq:*` from overriding the metadata.
 */
import type { DeadLetter, DeadLetterFilter, DeadLetterReason } from '../bus.js';
import { decodeEntry } from './entry-codec.js';
import { fieldsToRecord } from './entry-fields.js';
import { MAX_ERROR_LENGTH } from './logger.js';

/** What the DLQ records about a failure besides the original fields. */
export interface DeadLetterInfo {
  readonly group: string;
  /** Id of the original stream entry. */
  readonly entryId: string;
  readonly reason: DeadLetterReason;
  /** Error text; cut to 1000 characters when stored. */
  readonly error: string;
  readonly attempts: number;
  /** ISO time of the first failed delivery. */
  readonly firstFailureAt: string;
  /** ISO time of the last failed delivery. */
  readonly lastFailureAt: string;
}

/** Names of the metadata fields, in stored order. */
export const DEAD_LETTER_FIELDS = [
  'dlq:group',
  'dlq:entryid',
  'dlq:reason',
  'dlq:error',
  'dlq:attempts',
  'dlq:firstfailure',
  'dlq:lastfailure',
] as const;

const META_LENGTH = DEAD_LETTER_FIELDS.length * 2;

const REASONS: readonly string[] = ['exhausted', 'non-retryable', 'invalid', 'undecodable'];

/** The field/value list of a DLQ entry (for XADD to the DLQ stream). */
export function encodeDeadLetter(info: DeadLetterInfo, original: readonly string[]): string[] {
  return [
    'dlq:group',
    info.group,
    'dlq:entryid',
    info.entryId,
    'dlq:reason',
    info.reason,
    'dlq:error',
    info.error.length > MAX_ERROR_LENGTH ? info.error.slice(0, MAX_ERROR_LENGTH) : info.error,
    'dlq:attempts',
    String(info.attempts),
    'dlq:firstfailure',
    info.firstFailureAt,
    'dlq:lastfailure',
    info.lastFailureAt,
    ...original,
  ];
}

/** A DLQ entry read back (`id` is the DLQ entry id). Tolerates missing metadata. */
export function decodeDeadLetter(
  stream: string,
  id: string,
  fields: readonly string[],
): DeadLetter {
  const meta = new Map<string, string>();
  let i = 0;
  for (; i + 1 < Math.min(fields.length, META_LENGTH); i += 2) {
    if (!fields[i]!.startsWith('dlq:')) break;
    meta.set(fields[i]!, fields[i + 1]!);
  }
  const stored = fields.slice(i);
  const original = fieldsToRecord(stored);
  const reason = meta.get('dlq:reason') ?? 'undecodable';
  const letter: { -readonly [K in keyof DeadLetter]: DeadLetter[K] } = {
    id,
    stream,
    group: meta.get('dlq:group') ?? '',
    entryId: meta.get('dlq:entryid') ?? '',
    reason: (REASONS.includes(reason) ? reason : 'undecodable') as DeadLetterReason,
    error: meta.get('dlq:error') ?? '',
    attempts: Number(meta.get('dlq:attempts') ?? 0) || 0,
    firstFailureAt: meta.get('dlq:firstfailure') ?? '',
    lastFailureAt: meta.get('dlq:lastfailure') ?? '',
    fields: { ...original },
  };
  if (original.type !== undefined) letter.type = original.type;
  const decoded = decodeEntry(stored);
  if (decoded.ok) letter.event = decoded.envelope;
  return letter;
}

/** Whether `letter` matches every criterion of `filter` (an empty filter matches all). */
export function matchesDeadLetterFilter(
  letter: DeadLetter,
  filter: DeadLetterFilter = {},
): boolean {
  if (filter.group !== undefined && letter.group !== filter.group) return false;
  if (filter.type !== undefined && letter.type !== filter.type) return false;
  if (filter.reason !== undefined && letter.reason !== filter.reason) return false;
  if (filter.ids !== undefined && !filter.ids.includes(letter.id)) return false;
  return true;
}

/**
 * The fields to append to the main stream to replay `letter`: the original
 * fields (any old `replayfor` dropped) plus `replayfor=<group>`, so only the
 * failing group handles it, with fresh attempts.
 */
export function replayFields(letter: DeadLetter): string[] {
  const fields: string[] = [];
  for (const name of Object.keys(letter.fields)) {
    if (name !== 'replayfor') fields.push(name, letter.fields[name]!);
  }
  fields.push('replayfor', letter.group);
  return fields;
}
