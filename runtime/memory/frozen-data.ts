/**
 * The in-memory bus delivers the validated payload itself instead of a JSON
 * round trip: {@link frozenJsonCopy} makes one deep copy of it at publish,
 * frozen, which every group's handlers then share (a handler cannot change
 * what another group, or the publisher, sees: payloads are read-only in
 * handlers, as documented on `Handler`). The copy is exactly what
 * `JSON.parse(JSON.stringify(data))` would give, or the function declines.
 * Objects are built by a copier compiled for their key sequence
 * (shape-copiers.ts), key by key when there is none.
 */

import { type JsonSize, shapeCopier } from './shape-copiers.js';

/** Returned by the walk when the value is not plain JSON data. */
const DECLINE: unique symbol = Symbol('decline');

/** Deepest nesting copied (deeper, or circular, data takes the JSON path). */
const MAX_DEPTH = 64;

/** Upper bound of the UTF-8 bytes of the JSON text of what was copied so far. */
const size: JsonSize = { bound: 0 };

/** A deep, frozen copy of `data` and an upper bound of its JSON size in UTF-8 bytes. */
export interface FrozenCopy {
  readonly value: unknown;
  readonly maxJsonBytes: number;
}

/**
 * A deep copy of `data`, every object and array in it frozen, when `data` is
 * plain JSON data: strings, finite numbers, booleans, null, arrays and plain
 * objects (prototype `Object.prototype` or null, no `toJSON`, no enumerable
 * inherited keys: a polluted prototype), no `undefined`, no key `__proto__`,
 * `constructor` or `prototype` (the consume-side parser drops those),
 * nesting within 64 levels. Otherwise
 * `undefined`: the caller takes the JSON round trip, which behaves exactly as
 * the Redis bus does for such values. `maxJsonBytes` bounds the UTF-8 size
 * of `JSON.stringify(data)` from above (every character counted as an escape).
 */
export function frozenJsonCopy(data: unknown): FrozenCopy | undefined {
  size.bound = 0;
  // for-in also walks inherited enumerable keys, which JSON skips: only a polluted
  // Object.prototype has them (checked once here, not per key).
  if (hasEnumerableKey(Object.prototype)) return undefined;
  const value = copy(data, 0);
  if (value === DECLINE) return undefined;
  return { value, maxJsonBytes: size.bound };
}

function copy(v: unknown, depth: number): unknown {
  switch (typeof v) {
    case 'string':
      // `\uXXXX` (6 bytes) is the longest a UTF-16 code unit becomes.
      size.bound += 6 * v.length + 2;
      return v;
    case 'number':
      if (!Number.isFinite(v)) return DECLINE;
      size.bound += 25;
      // -0 goes through JSON as 0.
      return v === 0 ? 0 : v;
    case 'boolean':
      size.bound += 5;
      return v;
    case 'object': {
      if (v === null) {
        size.bound += 4;
        return null;
      }
      if (depth >= MAX_DEPTH) return DECLINE;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return DECLINE;
        const n = v.length;
        const out: unknown[] = new Array(n);
        size.bound += 2 + n;
        for (let i = 0; i < n; i++) {
          const c = copy(v[i], depth + 1);
          if (c === DECLINE) return DECLINE;
          out[i] = c;
        }
        return Object.freeze(out);
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return DECLINE;
      const source = v as Record<string, unknown>;
      if (typeof source.toJSON === 'function') return DECLINE;
      const shape = shapeCopier(source);
      if (shape !== undefined) {
        size.bound += shape.keyBytes;
        return shape.copy(source, depth + 1, copy, DECLINE, size);
      }
      const out: Record<string, unknown> = {};
      size.bound += 2;
      // for-in over a plain object walks its own keys (its prototype, Object.prototype
      // or null, has no enumerable ones: checked in frozenJsonCopy) with no key array.
      for (const key in source) {
        if (key === '__proto__' || key === 'constructor' || key === 'prototype') return DECLINE;
        const c = copy(source[key], depth + 1);
        if (c === DECLINE) return DECLINE;
        out[key] = c;
        size.bound += 6 * key.length + 4;
      }
      return Object.freeze(out);
    }
    default:
      // undefined, functions, symbols, bigints: JSON drops, nulls or refuses them.
      return DECLINE;
  }
}

/** Whether `object` has an enumerable key, own or inherited. */
function hasEnumerableKey(object: object): boolean {
  for (const _ in object) return true;
  return false;
}
