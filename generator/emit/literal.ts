/**
 * JSON-like data as a TypeScript expression: the catalogue in `catalog.ts`,
 * and `default`, `examples`, `enum` values in TypeBox options.
 */
import type { Doc } from './doc.js';
import { arrayLiteral, objectLiteral, property, stringLiteral } from './syntax.js';

/** A plain JSON value (what YAML catalogues and JSON Schemas hold). */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * `value` as an expression. Objects holding another non-empty object (or
 * an array of objects) are written one entry per line; the rest stay flat
 * when they fit.
 */
export function literal(value: unknown): Doc {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return stringLiteral(value);
    case 'number':
      return numberLiteral(value);
    case 'boolean':
      return String(value);
    case 'object':
      return Array.isArray(value) ? arrayOf(value) : objectOf(value as Record<string, unknown>);
    default:
      throw new Error(`schemabus cannot print a ${typeof value} as a literal`);
  }
}

/** Entries of an object literal, `key: value`, in insertion order. */
export function entriesOf(value: Readonly<Record<string, unknown>>): Doc[] {
  return Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => property(key, literal(v)));
}

function objectOf(value: Record<string, unknown>): Doc {
  const expand = Object.values(value).some(
    (v) => isNonEmptyObject(v) || (Array.isArray(v) && v.some(isNonEmptyObject)),
  );
  return objectLiteral(entriesOf(value), { expand });
}

function arrayOf(items: readonly unknown[]): Doc {
  // The formatter always breaks an array of two or more objects (or arrays) of several entries.
  const expand =
    items.length > 1 &&
    items.every(
      (item) => item !== null && typeof item === 'object' && Object.keys(item as object).length > 1,
    );
  return arrayLiteral(items.map(literal), { expand });
}

function isNonEmptyObject(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  );
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`schemabus cannot print ${value} as a JSON number`);
  return String(value).replace('e+', 'e');
}
