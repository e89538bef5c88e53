/**
 * The pure parts of partitioned consumers on Redis: the share of each live
 * member (runtime/redis/partition-assignment.ts) and the per-key holds that
 * keep a key's order through a retry (runtime/redis/partition-key-holds.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assignPartitions } from '../../runtime/redis/partition-assignment.js';
import { compareEntryIds, KeyHolds } from '../../runtime/redis/partition-key-holds.js';

describe('assignPartitions', () => {
  it.each([
    ['one member takes all', ['a'], 4, { a: [0, 1, 2, 3] }],
    ['two share evenly', ['b', 'a'], 4, { a: [0, 2], b: [1, 3] }],
    ['three: 2, 1, 1', ['c', 'a', 'b'], 4, { a: [0, 3], b: [1], c: [2] }],
    ['more members than partitions: the last wait', ['a', 'b', 'c'], 2, { a: [0], b: [1], c: [] }],
  ] as const)('%s', (_, members, count, want) => {
    for (const [me, partitions] of Object.entries(want)) {
      expect(assignPartitions(members, me, count)).toEqual(partitions);
    }
    // Every partition exactly once.
    const all = members.flatMap((m) => assignPartitions(members, m, count)).sort((x, y) => x - y);
    expect(all).toEqual([...Array(count).keys()]);
  });

  it('gives nothing to a consumer not (yet) among the members', () => {
    expect(assignPartitions(['a', 'b'], 'z', 4)).toEqual([]);
  });
});

describe('compareEntryIds', () => {
  it('orders by time, then sequence, numerically', () => {
    const ids = ['10-2', '9-5', '10-10', '10-1', '100-0'];
    expect([...ids].sort(compareEntryIds)).toEqual(['9-5', '10-1', '10-2', '10-10', '100-0']);
  });
});

describe('KeyHolds', () => {
  const item = (id: string) => ({ id });

  it('holds a key for its failed entry; parked entries come back in id order on release', () => {
    const admitted: string[] = [];
    const holds = new KeyHolds<{ id: string }>(
      (i) => void admitted.push(i.id),
      () => true,
      60_000,
    );
    holds.hold('k', '1-0');
    expect(holds.heldBack('k', '1-0')).toBe(false);
    expect(holds.heldBack('k', '3-0')).toBe(true);
    expect(holds.heldBack('other', '3-0')).toBe(false);
    holds.park('k', item('3-0'));
    holds.park('k', item('2-0')); // queued earlier in the dispatcher, parked later
    holds.park('k', item('4-0'));
    expect(holds.parkedCount).toBe(3);
    holds.releaseId('9-9'); // no hold: nothing happens
    expect(admitted).toEqual([]);
    holds.releaseId('1-0');
    expect(admitted).toEqual(['2-0', '3-0', '4-0']);
    expect(holds.heldBack('k', '3-0')).toBe(false);
    holds.clear();
  });

  it('an admitted entry may hold the key again: the rest stay parked behind it', () => {
    const admitted: string[] = [];
    const holds: KeyHolds<{ id: string }> = new KeyHolds<{ id: string }>(
      (i) => {
        if (holds.heldBack('k', i.id)) holds.park('k', i);
        else {
          admitted.push(i.id);
          if (i.id === '2-0') holds.hold('k', '2-0'); // a retry still waiting for its backoff
        }
      },
      () => true,
      60_000,
    );
    holds.hold('k', '1-0');
    holds.park('k', item('2-0'));
    holds.park('k', item('3-0'));
    holds.releaseId('1-0');
    expect(admitted).toEqual(['2-0']);
    holds.releaseId('2-0');
    expect(admitted).toEqual(['2-0', '3-0']);
    holds.clear();
  });

  it('clear() returns what was parked and forgets every hold', () => {
    const holds = new KeyHolds<{ id: string }>(
      () => undefined,
      () => true,
      60_000,
    );
    holds.hold('k', '1-0');
    holds.park('k', item('2-0'));
    expect(holds.clear().map((i) => i.id)).toEqual(['2-0']);
    expect(holds.heldBack('k', '2-0')).toBe(false);
  });

  describe('stale holds', () => {
    afterEach(() => void vi.useRealTimers());

    it('a hold whose entry this consumer has not any more is dropped after staleMs, not while paused (breaker open: the retry cannot be claimed back)', () => {
      vi.useFakeTimers();
      const admitted: string[] = [];
      let paused = true;
      const holds = new KeyHolds<{ id: string }>(
        (i) => void admitted.push(i.id),
        () => false, // its due time forgotten (DueTimes evicts after staleMs)
        1_000,
        () => paused,
      );
      holds.hold('k', '1-0');
      holds.park('k', item('2-0'));
      vi.advanceTimersByTime(10_000);
      expect(admitted).toEqual([]);
      expect(holds.heldBack('k', '2-0')).toBe(true);
      paused = false;
      vi.advanceTimersByTime(500);
      expect(admitted).toEqual([]);
      vi.advanceTimersByTime(1_000);
      expect(admitted).toEqual(['2-0']);
      holds.clear();
    });
  });
});
