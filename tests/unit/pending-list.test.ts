import { describe, expect, it } from 'vitest';
import { PendingList } from '../../runtime/memory/pending-list.js';

interface Item {
  readonly id: number;
  slot: number;
}

/** A small deterministic generator (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('PendingList', () => {
  it('keeps insertion order, the oldest first, through random removals and compactions', () => {
    for (const seed of [1, 2, 3]) {
      const random = seeded(seed);
      const list = new PendingList<Item>();
      const reference = new Map<number, Item>();
      let next = 0;
      for (let step = 0; step < 20_000; step++) {
        // Mostly adds early, mostly removals later; an old entry often stays (holes pile up).
        if (reference.size === 0 || random() < 0.52) {
          const item = { id: next++, slot: -1 };
          list.add(item);
          reference.set(item.id, item);
        } else {
          const ids = [...reference.keys()];
          const pick = random() < 0.5 ? ids[0]! : ids[Math.floor(random() * ids.length)]!;
          if (pick === 0 && random() < 0.99) continue;
          expect(list.delete(reference.get(pick)!)).toBe(true);
          reference.delete(pick);
        }
        expect(list.size).toBe(reference.size);
        expect(list.first()).toBe(reference.values().next().value);
      }
      expect([...list].map((i) => i.id)).toEqual([...reference.keys()]);
      for (const item of reference.values()) expect(list.has(item)).toBe(true);
    }
  });

  it('ignores an entry it does not hold', () => {
    const list = new PendingList<Item>();
    const a = { id: 1, slot: -1 };
    list.add(a);
    expect(list.delete(a)).toBe(true);
    expect(list.delete(a)).toBe(false);
    expect(list.has(a)).toBe(false);
    expect(list.first()).toBeUndefined();
    expect(list.size).toBe(0);
  });
});
