import { describe, expect, it } from 'vitest';
import { defaultConsumerName, eventIdTime, newEventId } from '../../runtime/internal/ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newEventId', () => {
  it('makes UUIDv7 ids carrying the time', () => {
    const before = Date.now();
    const id = newEventId();
    expect(id).toMatch(UUID_V7);
    const t = eventIdTime(id)!;
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });

  it('is unique and strictly increasing, also within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newEventId());
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    const same = Array.from({ length: 5000 }, () => newEventId(1_700_000_000_000));
    for (let i = 1; i < same.length; i++) expect(same[i]! > same[i - 1]!).toBe(true);
    for (const id of same) expect(id).toMatch(UUID_V7);
  });

  it('stays ordered when the clock steps back', () => {
    const a = newEventId(Date.now() + 10_000);
    const b = newEventId(Date.now());
    expect(b > a).toBe(true);
  });

  it('eventIdTime rejects other strings', () => {
    expect(eventIdTime('not-an-id')).toBeUndefined();
  });
});

describe('defaultConsumerName', () => {
  it('is hostname-pid-random', () => {
    const a = defaultConsumerName();
    expect(a).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{4}$`));
    expect(defaultConsumerName()).not.toBe(a);
  });
});
