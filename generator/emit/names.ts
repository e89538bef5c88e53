/**
 * Naming and ordering helpers shared by the emitters.
 */

/**
 * Natural order, the one Biome's import organizer uses: case-insensitive,
 * digit runs compared as numbers, then upper case before lower case
 * (`A < a < a9 < a10 < B < b`).
 */
export function compareNatural(a: string, b: string): number {
  const left = tokens(a);
  const right = tokens(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x === y) continue;
    const bothNumbers = /^\d/.test(x) && /^\d/.test(y);
    if (bothNumbers && Number(x) !== Number(y)) return Number(x) - Number(y);
    const folded = compareCodePoints(x.toLowerCase(), y.toLowerCase());
    if (folded !== 0) return folded;
  }
  if (left.length !== right.length) return left.length - right.length;
  return compareCodePoints(a, b);
}

function tokens(text: string): string[] {
  return text.match(/\d+|\D+/g) ?? [];
}

/** Plain code point order, independent of the locale. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export { channelMessageName, RESERVED_TYPE_NAMES as RESERVED_NAMES } from '../catalog/names.js';
