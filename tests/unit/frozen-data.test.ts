/**
 * The in-memory bus's frozen payload copy (runtime/memory/frozen-data.ts)
 * and the copiers it compiles per key sequence (shape-copiers.ts): whatever
 * the shape, the copy is what a JSON round trip gives, keys in the same
 * order, every object and array frozen — also past the bound of compiled
 * shapes and where code cannot be generated at all.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frozenJsonCopy } from '../../runtime/memory/frozen-data.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Fixed, so a failure in CI is reproduced with the same inputs. */
const SEED = 20_261_205;

/** Asserts `value` is copied exactly as JSON would, frozen throughout, with a true size bound. */
function expectExactCopy(value: unknown): void {
  const copy = frozenJsonCopy(value);
  expect(copy).toBeDefined();
  const json = JSON.stringify(value);
  // JSON.stringify of both: the same values *and* the same key order.
  expect(JSON.stringify(copy!.value)).toBe(json);
  expect(copy!.value).toStrictEqual(JSON.parse(json));
  expect(copy!.maxJsonBytes).toBeGreaterThanOrEqual(Buffer.byteLength(json));
  expectDeepFrozen(copy!.value);
}

function expectDeepFrozen(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  expect(Object.isFrozen(value)).toBe(true);
  for (const child of Object.values(value)) expectDeepFrozen(child);
}

describe('frozenJsonCopy', () => {
  it('copies any JSON value exactly, key order included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => expectExactCopy(value)),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('keeps each object its own key order when the same keys come in another order', () => {
    const a = frozenJsonCopy({ id: 'a', amount: 1, tags: ['x'] })!.value;
    const b = frozenJsonCopy({ tags: ['y'], amount: 2, id: 'b' })!.value;
    expect(Object.keys(a as object)).toEqual(['id', 'amount', 'tags']);
    expect(Object.keys(b as object)).toEqual(['tags', 'amount', 'id']);
    expect(b).toEqual({ tags: ['y'], amount: 2, id: 'b' });
  });

  it('copies a shape and its prefixes and extensions (optional keys absent or present)', () => {
    for (const value of [
      { id: 'x', name: 'n' },
      { id: 'x' },
      { id: 'x', name: 'n', note: 'o' },
      {},
      { id: 'x', name: 'n' },
    ]) {
      expectExactCopy(value);
      expect(Object.keys(frozenJsonCopy(value)!.value as object)).toEqual(Object.keys(value));
    }
  });

  it('puts integer keys first, as JSON does', () => {
    expectExactCopy({ b: 1, 2: 'two', a: [{ 10: true, 1: null }], 1: 'one' });
  });

  it('declines a refused key in a shape seen before without it', () => {
    expectExactCopy({ kind: 'k' });
    expect(frozenJsonCopy({ kind: 'k', constructor: 'x' })).toBeUndefined();
    expect(
      frozenJsonCopy(JSON.parse('{"kind":"k","__proto__":{"polluted":true}}')),
    ).toBeUndefined();
    // A value the walk declines, inside a compiled shape, declines the whole copy.
    expectExactCopy({ kind: 'k', at: 1 });
    expect(frozenJsonCopy({ kind: 'k', at: Number.NaN })).toBeUndefined();
    expect(frozenJsonCopy({ kind: 'k', at: new Date(0) })).toBeUndefined();
  });

  it('copies exactly past the bound of compiled shapes (objects used as maps)', () => {
    // Far more distinct key sequences than the trie keeps, each copied twice (a second use
    // compiles, within the bound of copiers): later ones are copied key by key.
    for (let i = 0; i < 3000; i++) {
      const value = { [`user-${i}`]: { seen: i }, total: i };
      expectExactCopy(value);
      expectExactCopy(value);
    }
  });

  it('copies exactly where code cannot be generated from strings', () => {
    const script = [
      "import { frozenJsonCopy } from './runtime/memory/frozen-data.ts';",
      "const value = { b: 1, a: [{ x: 's', n: null }], c: { d: true } };",
      'const copy = frozenJsonCopy(value);',
      'process.stdout.write(JSON.stringify({ json: JSON.stringify(copy.value), frozen: Object.isFrozen(copy.value.a[0]) }));',
    ].join('\n');
    const out = execFileSync(
      process.execPath,
      [
        '--disallow-code-generation-from-strings',
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        script,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual({
      json: JSON.stringify({ b: 1, a: [{ x: 's', n: null }], c: { d: true } }),
      frozen: true,
    });
  });
});
