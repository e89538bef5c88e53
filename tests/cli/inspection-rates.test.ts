/** Rates between two inspections (`inspect --watch`): entries added per second, acks per second. */
import type { GroupInspection, StreamInspection } from 'schemabus';
import { describe, expect, it } from 'vitest';
import { ratesBetween } from '../../cli/support/inspection-rates.js';

function group(name: string, lag: number | null, pending: number): GroupInspection {
  return {
    name,
    consumers: [],
    pending,
    lag,
    lastDeliveredId: '0-0',
    oldestPendingId: null,
    oldestPendingAgeMs: null,
    laggingPastRetention: false,
  };
}

function stream(name: string, entriesAdded: number | null, groups: GroupInspection[]) {
  return {
    name,
    key: `{t:${name}}`,
    length: entriesAdded ?? 0,
    entriesAdded,
    firstEntryId: null,
    lastEntryId: null,
    dlqLength: 0,
    groups,
  } satisfies StreamInspection;
}

describe('ratesBetween', () => {
  it('divides what was added, and what each group finished, by the seconds between', () => {
    const before = [stream('orders', 100, [group('billing', 10, 2), group('audit', 0, 0)])];
    // 40 added in 2 s; billing went from 12 unfinished to 22 (finished 30), audit to 5 (35).
    const after = [stream('orders', 140, [group('billing', 20, 2), group('audit', 4, 1)])];
    const rates = ratesBetween(before, after, 2);
    expect(rates.added('orders')).toBe(20);
    expect(rates.acked('orders', 'billing')).toBe(15);
    expect(rates.acked('orders', 'audit')).toBe(17.5);
  });

  it('is null where it cannot be told: unknown counts, a new group or stream, a count that went back', () => {
    const before = [
      stream('a', null, [group('g', 1, 0)]),
      stream('b', 10, [group('g', null, 0)]),
      stream('c', 50, []),
    ];
    const after = [
      stream('a', 5, [group('g', 1, 0)]),
      stream('b', 12, [group('g', 0, 0), group('new', 0, 0)]),
      stream('c', 3, []),
      stream('d', 1, []),
    ];
    const rates = ratesBetween(before, after, 1);
    expect(rates.added('a')).toBeNull();
    expect(rates.acked('a', 'g')).toBeNull();
    expect(rates.added('b')).toBe(2);
    expect(rates.acked('b', 'g')).toBeNull();
    expect(rates.acked('b', 'new')).toBeNull();
    expect(rates.added('c')).toBeNull();
    expect(rates.added('d')).toBeNull();
    expect(rates.added('nowhere')).toBeNull();
  });
});
