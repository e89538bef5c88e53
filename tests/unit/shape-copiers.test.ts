/**
 * The cache of copiers compiled per key sequence (runtime/memory/shape-copiers.ts),
 * in a module of its own (its state is per process): what it keeps stays
 * bounded whatever keys the payloads carry.
 */
import { describe, expect, it } from 'vitest';
import { frozenJsonCopy } from '../../runtime/memory/frozen-data.js';
import { shapeCacheSize } from '../../runtime/memory/shape-copiers.js';

describe('shape copiers', () => {
  it('keeps no long key (data used as a key), and still copies such objects exactly', () => {
    const before = shapeCacheSize();
    for (let i = 0; i < 200; i++) {
      const value = { [`${'k'.repeat(10_000)}-${i}`]: { n: i }, total: i };
      for (let use = 0; use < 2; use++) {
        expect(JSON.stringify(frozenJsonCopy(value)!.value)).toBe(JSON.stringify(value));
      }
    }
    // Only the short keys (`n`) became shapes.
    expect(shapeCacheSize().keyChars - before.keyChars).toBeLessThan(10);
  });

  it('compiles a key sequence on its second copy, within the bound of copiers', () => {
    const before = shapeCacheSize();
    frozenJsonCopy({ alpha: 1, beta: 'b' });
    expect(shapeCacheSize().copiers).toBe(before.copiers);
    frozenJsonCopy({ alpha: 2, beta: 'c' });
    expect(shapeCacheSize().copiers).toBe(before.copiers + 1);
    for (let i = 0; i < 600; i++) {
      const value = { [`field${i}`]: i };
      frozenJsonCopy(value);
      expect(frozenJsonCopy(value)!.value).toEqual(value);
    }
    expect(shapeCacheSize().copiers).toBe(256);
  });
});
