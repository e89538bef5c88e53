/**
 * Stream retention: `{ maxLen: 10000 }` or `{ maxAge: 24h }`, exactly one.
 */
import type { Retention } from '../../runtime/catalog.js';
import type { DocEntry } from './document.js';
import { DURATION_EXAMPLES, parseDuration } from './duration.js';
import { describe, own, type Reader } from './reader.js';

const RETENTION_KEYS = ['maxAge', 'maxLen'];

/**
 * Reads the `retention` of a stream: exactly one of `maxLen` (a positive
 * integer) or `maxAge` (a duration), normalised to `maxLen` or `maxAgeMs`.
 * A missing retention is an error: an unbounded stream grows until Redis
 * runs out of memory.
 */
export function readRetention(
  reader: Reader,
  stream: DocEntry,
  value: unknown,
): Retention | undefined {
  const path = [...stream.path, 'retention'];
  if (value === undefined) {
    reader.issues.atKey(
      path,
      `stream \`${stream.name}\` has no \`retention\`; an unbounded stream grows until Redis runs out of memory`,
      'add `retention: { maxLen: 10000 }` or `retention: { maxAge: 7d }`',
    );
    return undefined;
  }
  const map = reader.map(path, value, `retention of stream \`${stream.name}\``);
  if (!map) return undefined;
  reader.allowKeys(path, map, RETENTION_KEYS, '`retention`');
  const maxLen = own(map, 'maxLen');
  const maxAge = own(map, 'maxAge');
  if (maxLen !== undefined && maxAge !== undefined) {
    reader.issues.atKey(
      path,
      `retention of stream \`${stream.name}\` sets both \`maxLen\` and \`maxAge\`; it takes exactly one`,
      'keep `maxLen` (the newest N entries) or `maxAge` (entries younger than a duration)',
    );
    return undefined;
  }
  if (maxLen !== undefined) {
    const what = `\`maxLen\` of stream \`${stream.name}\``;
    const entries = reader.integer([...path, 'maxLen'], maxLen, what, 1);
    return entries === undefined ? undefined : { maxLen: entries };
  }
  if (maxAge !== undefined) {
    const ms = typeof maxAge === 'string' ? parseDuration(maxAge) : undefined;
    if (ms === undefined) {
      reader.issues.atValue(
        [...path, 'maxAge'],
        `\`maxAge\` of stream \`${stream.name}\` must be a duration, got ${describe(maxAge)}`,
        `write a positive number and a unit, no space: ${DURATION_EXAMPLES}`,
      );
    }
    return ms === undefined ? undefined : { maxAgeMs: ms };
  }
  reader.issues.atKey(
    path,
    `retention of stream \`${stream.name}\` sets neither \`maxLen\` nor \`maxAge\``,
    'add `maxLen` or `maxAge`',
  );
  return undefined;
}
