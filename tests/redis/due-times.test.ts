/**
 * DueTimes (runtime/redis/due-times.ts): the due times of retries of entries
 * that failed in a consumer. Entries retried by another consumer never come
 * back, so their due times must be forgotten — without scanning the whole
 * map on every failure (the former code did, once it held 1000 entries).
 */
import { describe, expect, it } from 'vitest';
import { DueTimes } from '../../runtime/redis/due-times.js';

describe('DueTimes', () => {
  it('forgets stale ids oldest first and stops at the first one still current', () => {
    const due = new DueTimes(1000);
    due.set('old-a', 0, 0);
    due.set('current', 5000, 0);
    due.set('old-b', 10, 0); // stale too, but behind a current one: kept for now
    due.set('new', 6000, 3000); // stale means due before 2000
    expect(['old-a', 'current', 'old-b', 'new'].filter((id) => due.has(id))).toEqual([
      'current',
      'old-b',
      'new',
    ]);
    expect(due.take('current')).toBe(5000);
    due.set('newer', 7000, 3000);
    expect(due.has('old-b')).toBe(false);
    expect(due.size).toBe(2);
  });

  it('setting an id again moves it to the end; the map never exceeds its cap', () => {
    const due = new DueTimes(60_000, 100);
    for (let i = 0; i < 1000; i++) due.set(`id-${i}`, 1_000_000 + i, 1_000_000);
    expect(due.size).toBe(100);
    expect(due.has('id-899')).toBe(false);
    expect(due.has('id-900')).toBe(true);
    due.set('id-900', 2_000_000, 1_000_000);
    due.set('another', 2_000_000, 1_000_000);
    expect(due.has('id-900')).toBe(true);
    expect(due.has('id-901')).toBe(false);
  });
});
