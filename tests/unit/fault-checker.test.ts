/** The fault suite's checker (tests/faults/support/checker.ts) on hand-made ledgers. */
import { describe, expect, it } from 'vitest';
import { checkGroup, checkRealtime } from '../faults/support/checker.js';
import type { LedgerRecord } from '../faults/support/ledger-records.js';
import { seededRandom } from '../faults/support/seed.js';
import { formatRow } from '../faults/support/table.js';

let clock = 0;
const base = (worker: string, pid: number) => ({ worker, pid, at: ++clock });

const attempted = (eventId: string, seq: number, attempt = 1): LedgerRecord => ({
  ...base('pub', 1),
  kind: 'attempted',
  eventId,
  seq,
  attempt,
});
const acked = (eventId: string, seq: number, entryId = `${seq}-0`, attempt = 1): LedgerRecord => ({
  ...base('pub', 1),
  kind: 'acked',
  eventId,
  seq,
  attempt,
  entryId,
});
const failed = (
  eventId: string,
  seq: number,
  outcome: 'not-written' | 'unknown' | 'other',
  attempt = 1,
): LedgerRecord => ({
  ...base('pub', 1),
  kind: 'failed',
  eventId,
  seq,
  attempt,
  outcome,
  error: outcome === 'unknown' ? 'PublishOutcomeUnknownError' : 'ConnectionError',
  code: undefined,
  message: 'm',
});
const handling = (
  kind: 'started' | 'handled' | 'abandoned',
  eventId: string,
  { group = 'g', consumer = 'c1', pid = 10, attempt = 1 } = {},
): LedgerRecord => ({
  ...base(consumer, pid),
  kind,
  group,
  consumer,
  eventId,
  entryId: 'x',
  attempt,
});
/** A publish acked and handled once by `consumer`. */
const delivered = (id: string, seq: number, consumer = 'c1', pid = 10): LedgerRecord[] => [
  attempted(id, seq),
  acked(id, seq),
  handling('started', id, { consumer, pid }),
  handling('handled', id, { consumer, pid }),
];

describe('checkGroup', () => {
  it('counts a clean run: every acknowledged publish handled once', () => {
    const records = [...delivered('a', 0), ...delivered('b', 1)];
    expect(checkGroup(records, { group: 'g' })).toMatchObject({
      attempted: 2,
      acknowledged: 2,
      handled: 2,
      lost: 0,
      duplicated: 0,
      recovered: 0,
      unexpected: 0,
    });
  });

  it('an acknowledged publish never handled by the group is lost; other groups do not count', () => {
    const records = [
      ...delivered('a', 0),
      attempted('b', 1),
      acked('b', 1),
      handling('handled', 'b', { group: 'other' }),
    ];
    const counts = checkGroup(records, { group: 'g' });
    expect(counts.lost).toBe(1);
    expect(counts.lostIds).toEqual(['b']);
    expect(checkGroup(records, { group: 'other' }).lost).toBe(1); // 'a' never reached 'other'
  });

  it('a started handler that never resolved is not a handling: its event is lost until handled again', () => {
    const records = [attempted('a', 0), acked('a', 0), handling('started', 'a')];
    expect(checkGroup(records, { group: 'g' }).lost).toBe(1);
  });

  it('counts duplicates and redeliveries; a redelivery by another process is recovered', () => {
    const records = [
      attempted('a', 0),
      acked('a', 0),
      handling('started', 'a', { consumer: 'victim', pid: 11 }),
      handling('started', 'a', { consumer: 'survivor', pid: 12, attempt: 2 }),
      handling('handled', 'a', { consumer: 'survivor', pid: 12, attempt: 2 }),
      ...delivered('b', 1, 'victim', 11),
      handling('started', 'b', { consumer: 'survivor', pid: 12, attempt: 2 }),
      handling('handled', 'b', { consumer: 'survivor', pid: 12, attempt: 2 }),
      handling('handled', 'b', { consumer: 'survivor', pid: 12, attempt: 3 }),
    ];
    expect(checkGroup(records, { group: 'g' })).toMatchObject({
      handled: 2,
      lost: 0,
      duplicated: 1,
      redeliveries: 2,
      recovered: 1, // 'a': started by the victim, handled by the survivor; 'b' was handled first by the victim
    });
  });

  it('a same-process handling on a later attempt (a re-read after a reconnect, a retry) is recovered', () => {
    const records = [
      attempted('a', 0),
      acked('a', 0),
      handling('started', 'a', { attempt: 2 }),
      handling('handled', 'a', { attempt: 2 }),
    ];
    expect(checkGroup(records, { group: 'g' }).recovered).toBe(1);
  });

  it('classifies failed publishes and whether the stream holds them anyway', () => {
    const records = [
      attempted('refused', 0),
      failed('refused', 0, 'not-written'),
      attempted('lied', 1),
      failed('lied', 1, 'not-written'),
      attempted('maybe-stored', 2),
      failed('maybe-stored', 2, 'unknown'),
      attempted('maybe-not', 3),
      failed('maybe-not', 3, 'unknown'),
      attempted('retried', 4),
      failed('retried', 4, 'unknown'),
      attempted('retried', 4, 2),
      acked('retried', 4, '4-0', 2),
      attempted('hung', 5),
      attempted('odd', 6),
      failed('odd', 6, 'other'),
    ];
    const stored = [
      { entryId: '1-0', eventId: 'lied' },
      { entryId: '2-0', eventId: 'maybe-stored' },
      { entryId: '4-0', eventId: 'retried' },
      { entryId: '4-1', eventId: 'retried' },
    ];
    expect(checkGroup(records, { group: 'g', stored })).toMatchObject({
      attempted: 7,
      acknowledged: 1,
      notWritten: 2,
      notWrittenStored: 1,
      unknown: 2,
      unknownStored: 1,
      unresolved: 1,
      otherFailures: 1,
      storedTwice: 1,
      lost: 1, // 'retried' was acknowledged and nobody handled it
    });
  });

  it('an unknown-outcome publish some group handled counts as stored without reading the stream', () => {
    const records = [
      attempted('a', 0),
      failed('a', 0, 'unknown'),
      handling('handled', 'a', { group: 'x' }),
    ];
    expect(checkGroup(records, { group: 'g' })).toMatchObject({ unknown: 1, unknownStored: 1 });
  });

  it('acknowledged publishes the fault destroyed by design are exempt, not lost', () => {
    const records = [
      attempted('before', 0),
      acked('before', 0, '100-0'),
      attempted('handled-before', 1),
      acked('handled-before', 1, '150-0'),
      handling('handled', 'handled-before'),
      attempted('after', 2),
      acked('after', 2, '300-0'),
      handling('handled', 'after'),
    ];
    const counts = checkGroup(records, {
      group: 'g',
      exempt: (a) => Number(a.entryId.split('-')[0]) < 200,
    });
    expect(counts).toMatchObject({ lost: 0, exempt: 2, exemptHandled: 1, handled: 2 });
  });

  it('counts handlings of ids no publisher attempted as unexpected', () => {
    const records = [...delivered('a', 0), handling('handled', 'ghost')];
    expect(checkGroup(records, { group: 'g' }).unexpected).toBe(1);
  });
});

describe('checkRealtime', () => {
  const sent = (n: number) =>
    Array.from(
      { length: n },
      (_, seq): LedgerRecord => ({
        ...base('pub', 1),
        kind: 'acked',
        eventId: `e${seq}`,
        seq,
        attempt: 1,
        entryId: '',
      }),
    );
  const received = (seqs: number[]) =>
    seqs.map(
      (seq): LedgerRecord => ({ ...base('sub', 2), kind: 'received', eventId: `e${seq}`, seq }),
    );

  it('finds the runs of messages a subscriber missed', () => {
    const records = [...sent(10), ...received([0, 1, 4, 5, 6, 9, 9])];
    expect(checkRealtime(records, 'pub', 'sub')).toEqual({
      sent: 10,
      received: 6,
      missing: 4,
      gaps: [
        { firstSeq: 2, lastSeq: 3, count: 2 },
        { firstSeq: 7, lastSeq: 8, count: 2 },
      ],
    });
  });

  it('a subscriber that got everything has no gap', () => {
    const records = [...sent(3), ...received([2, 0, 1])];
    expect(checkRealtime(records, 'pub', 'sub')).toMatchObject({ missing: 0, gaps: [] });
  });
});

describe('the table line and the seed', () => {
  it('prints one markdown line with the counts and what else went wrong', () => {
    const records = [...delivered('a', 0), attempted('b', 1), failed('b', 1, 'unknown')];
    const line = formatRow({
      scenario: 'x',
      seed: 7,
      counts: checkGroup(records, { group: 'g' }),
      notes: '3 kills',
    });
    expect(line).toBe('| x (g) | 7 | 2 | 1 | 0 | 1 (0) | 0 | 0 | 0 | 3 kills |');
  });

  it('a seed replays the same choices', () => {
    const draw = (seed: number) => {
      const r = seededRandom(seed);
      return [r.next(), r.int(1, 6), r.pick(['a', 'b', 'c'])];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    const r = seededRandom(1);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 5);
      expect(v >= 3 && v <= 5).toBe(true);
    }
  });
});
