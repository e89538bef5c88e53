/**
 * The `uuid` format as ajv-formats defines it
 * (`/^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i`), checked
 * with a table of hex digits: every publish and delivery of an event with
 * UUID fields runs it, and this is about 2.5x faster than the
 * case-insensitive regex (a loop with comparisons per character was not).
 */

const URN_PREFIX = 'urn:uuid:';
const UUID_LENGTH = 36;

/** 1 at the ASCII codes of `0-9a-fA-F`. */
const HEX_DIGIT = new Uint8Array(128);
for (const digit of '0123456789abcdefABCDEF') HEX_DIGIT[digit.charCodeAt(0)] = 1;

/** Whether the `count` codes of `value` from `from` are all hex digits. */
function hexRun(value: string, from: number, count: number): boolean {
  // Every code ORed into `high` (one above 0x7f fails), each looked up in the table.
  let digits = 1;
  let high = 0;
  for (let i = from; i < from + count; i++) {
    const code = value.charCodeAt(i);
    high |= code;
    digits &= HEX_DIGIT[code & 0x7f]!;
  }
  return digits === 1 && high < 0x80;
}

/** Whether `value` matches ajv-formats' `uuid` format (an optional `urn:uuid:` prefix, any case). */
export function isUuid(value: string): boolean {
  let at = 0;
  if (value.length !== UUID_LENGTH) {
    if (value.length !== URN_PREFIX.length + UUID_LENGTH) return false;
    if (value.slice(0, URN_PREFIX.length).toLowerCase() !== URN_PREFIX) return false;
    at = URN_PREFIX.length;
  }
  return (
    value.charCodeAt(at + 8) === 0x2d &&
    value.charCodeAt(at + 13) === 0x2d &&
    value.charCodeAt(at + 18) === 0x2d &&
    value.charCodeAt(at + 23) === 0x2d &&
    hexRun(value, at, 8) &&
    hexRun(value, at + 9, 4) &&
    hexRun(value, at + 14, 4) &&
    hexRun(value, at + 19, 4) &&
    hexRun(value, at + 24, 12)
  );
}
