/**
 * Typed reads of plain YAML values that report what is wrong instead of
 * throwing: each returns the value when it has the expected shape, else
 * reports an issue and returns `undefined`.
 */

import { closestName } from '../../schema/closest-name.js';
import type { IssueCollector } from './issues.js';
import type { DocPath } from './source-map.js';
import { listNames } from './suggest.js';

/** A YAML mapping read as a plain object. */
export type YamlMap = { readonly [key: string]: unknown };

/** Whether `value` is a YAML mapping (not a list, not a scalar). */
export function isYamlMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own entry `key` of `map`, never an inherited property. */
export function own(map: YamlMap, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Renders a value for a message: `"24 hours"`, `0`, `null`, `a list`, `a mapping`. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isYamlMap(value)) return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** Reads values of one document, reporting into one collector. */
export class Reader {
  constructor(readonly issues: IssueCollector) {}

  /** A mapping; `what` names it in the message ("stream `x`"). */
  map(path: DocPath, value: unknown, what: string): YamlMap | undefined {
    if (isYamlMap(value)) return value;
    this.issues.atValue(path, `${what} must be a mapping, got ${describe(value)}`);
    return undefined;
  }

  /**
   * Reports every key of `map` not in `allowed`, at the key, with a
   * did-you-mean or the allowed keys. Returns the keys suggested, so a
   * caller can skip reporting them as missing.
   */
  allowKeys(path: DocPath, map: YamlMap, allowed: readonly string[], what: string): Set<string> {
    const suggested = new Set<string>();
    for (const key of Object.keys(map)) {
      if (allowed.includes(key)) continue;
      const near = closestName(key, allowed);
      if (near !== undefined && !Object.hasOwn(map, near)) suggested.add(near);
      this.issues.atKey(
        [...path, key],
        `unknown key \`${key}\` in ${what}`,
        near === undefined ? `allowed keys: ${listNames(allowed)}` : `did you mean \`${near}\`?`,
      );
    }
    return suggested;
  }

  /** A non-empty string. */
  string(path: DocPath, value: unknown, what: string): string | undefined {
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.issues.atValue(path, `${what} must be a non-empty string, got ${describe(value)}`);
    return undefined;
  }

  /** An integer `>= min`. */
  integer(path: DocPath, value: unknown, what: string, min: number): number | undefined {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min) return value;
    const expected = min === 1 ? 'a positive integer' : `an integer >= ${min}`;
    this.issues.atValue(path, `${what} must be ${expected}, got ${describe(value)}`);
    return undefined;
  }

  /** A finite number in `[min, max]` (`exclusiveMin`: strictly above `min`). */
  number(
    path: DocPath,
    value: unknown,
    what: string,
    range: { min?: number; max?: number; exclusiveMin?: number },
  ): number | undefined {
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (range.min === undefined || value >= range.min) &&
      (range.max === undefined || value <= range.max) &&
      (range.exclusiveMin === undefined || value > range.exclusiveMin);
    if (ok) return value;
    let expected = 'a number';
    if (range.exclusiveMin !== undefined) expected = `a number > ${range.exclusiveMin}`;
    else if (range.min !== undefined && range.max !== undefined) {
      expected = `a number from ${range.min} to ${range.max}`;
    } else if (range.min !== undefined) expected = `a number >= ${range.min}`;
    this.issues.atValue(path, `${what} must be ${expected}, got ${describe(value)}`);
    return undefined;
  }

  /** `true` or `false`. */
  boolean(path: DocPath, value: unknown, what: string): boolean | undefined {
    if (typeof value === 'boolean') return value;
    this.issues.atValue(path, `${what} must be \`true\` or \`false\`, got ${describe(value)}`);
    return undefined;
  }

  /** One of a few strings. */
  choice<T extends string>(
    path: DocPath,
    value: unknown,
    what: string,
    options: readonly T[],
  ): T | undefined {
    if (typeof value === 'string' && (options as readonly string[]).includes(value)) {
      return value as T;
    }
    const near = typeof value === 'string' ? closestName(value, options) : undefined;
    this.issues.atValue(
      path,
      `${what} must be one of ${listNames(options)}, got ${describe(value)}`,
      near === undefined ? undefined : `did you mean \`${near}\`?`,
    );
    return undefined;
  }

  /** A list. */
  list(path: DocPath, value: unknown, what: string): readonly unknown[] | undefined {
    if (Array.isArray(value)) return value;
    this.issues.atValue(path, `${what} must be a list, got ${describe(value)}`);
    return undefined;
  }
}
