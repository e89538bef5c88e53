/**
 * Seeds of the fault scenarios: `FAULT_SEED=<n>` replays a run's choices
 * (which consumer is killed, after how many events, handler durations);
 * otherwise each scenario draws one and prints it.
 */

/** The seed of a scenario: `FAULT_SEED` when set, else a fresh one. */
export function scenarioSeed(): number {
  const fixed = process.env.FAULT_SEED;
  if (fixed !== undefined && fixed !== '') {
    const seed = Number(fixed);
    if (!Number.isInteger(seed)) throw new Error(`FAULT_SEED must be an integer, got ${fixed}`);
    return seed >>> 0;
  }
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

/** A seeded generator (mulberry32): `next()` in [0, 1), `int(min, max)` inclusive, `pick(items)`. */
export interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from nothing');
      return items[Math.floor(next() * items.length)]!;
    },
  };
}
