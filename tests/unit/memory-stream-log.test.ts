import { describe, expect, it } from 'vitest';
import { compareEntryIds, EntryIdGenerator, StreamLog } from '../../runtime/memory/stream-log.js';

describe('EntryIdGenerator', () => {
  it('makes increasing <ms>-<seq> ids, also when the clock stands still or steps back', () => {
    const ids = new EntryIdGenerator();
    expect([ids.next(5), ids.next(5), ids.next(4), ids.next(7)]).toEqual([
      '5-0',
      '5-1',
      '5-2',
      '7-0',
    ]);
    expect(ids.ms).toBe(7);
  });

  it('compares ids numerically', () => {
    expect(compareEntryIds('10-0', '9-5')).toBeGreaterThan(0);
    expect(compareEntryIds('9-10', '9-9')).toBeGreaterThan(0);
    expect(compareEntryIds('9-1', '9-1')).toBe(0);
  });
});

describe('StreamLog', () => {
  it('appends, finds by position, trims from the front and keeps positions stable', () => {
    const log = new StreamLog();
    for (let i = 0; i < 3000; i++) log.append(['n', String(i)], 1000 + i);
    expect(log.length).toBe(3000);
    expect(log.trimBefore(2500)).toBe(2500);
    expect(log.startPos).toBe(2500);
    expect(log.first?.fields).toEqual(['n', '2500']);
    expect(log.at(2499)).toBeUndefined();
    expect(log.at(2999)?.id).toBe('3999-0');
    expect(log.trimBefore(10)).toBe(0);
    expect(log.firstPosAtOrAfter(3800)).toBe(2800);
    expect(log.firstPosAtOrAfter(99_999)).toBe(log.endPos);
    expect(log.trimBefore(10_000)).toBe(500);
    expect(log.length).toBe(0);
    expect(log.last).toBeUndefined();
    expect(log.append([], 1).pos).toBe(3000);
  });
});

describe('StreamLog ring', () => {
  it('keeps entries at their positions while it grows, wraps and shrinks', () => {
    const log = new StreamLog();
    const envelopeOf = (i: number) => ({ id: `e${i}` }) as never;
    let trimmed = 0;
    for (let i = 0; i < 50_000; i++) {
      log.append(undefined, 1000 + Math.floor(i / 3), envelopeOf(i));
      // A retention of 700 most of the time, a burst of 20,000 in the middle.
      if (i < 20_000 || i > 40_000) trimmed += log.trimBefore(log.endPos - 700);
    }
    expect(log.length).toBe(700);
    expect(trimmed).toBe(50_000 - 700);
    for (const pos of [log.startPos, log.startPos + 1, log.endPos - 1]) {
      const entry = log.at(pos)!;
      expect(entry.envelope).toEqual({ id: `e${pos}` });
      expect(entry.ms).toBe(1000 + Math.floor(pos / 3));
      expect(entry.id).toBe(`${1000 + Math.floor(pos / 3)}-${pos % 3}`);
    }
    expect(log.firstPosAtOrAfter(1000 + Math.floor((log.endPos - 10) / 3))).toBe(
      log.endPos - 10 - ((log.endPos - 10) % 3),
    );
  });

  it('encodes a stored envelope once and keeps the fields for later readers', () => {
    const log = new StreamLog();
    const envelope = {
      specversion: '1.0',
      id: 'x',
      source: 's',
      type: 't.e',
      time: '2026-01-01T00:00:00.000Z',
      datacontenttype: 'application/json',
      data: { a: 1 },
    } as const;
    const entry = log.append(undefined, 5, envelope);
    const fields = entry.fields;
    expect(fields[0]).toBe('type');
    expect(log.at(entry.pos)!.fields).toBe(fields);
  });
});
