/**
 * The catalogue fingerprint: sha256 of a canonical JSON rendering.
 */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and no whitespace, so equal
 * data renders to equal text whatever the key order. Array order is kept.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    const fields = keys
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 hex of `canonicalJson(value)`. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
