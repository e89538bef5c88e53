/** What the scenarios assert on the checker's counts, said once. */
import { expect } from 'vitest';
import type { GroupCounts } from './checker.js';

/**
 * What holds whatever the fault: no publish promise hangs, no publish that
 * said "nothing was written" was stored, every failure is typed, and the
 * group handles nothing no publisher sent.
 */
export function expectHonestPublishes(counts: GroupCounts): void {
  expect({
    unresolved: counts.unresolved,
    otherFailures: counts.otherFailures,
    notWrittenStored: counts.notWrittenStored,
    unexpected: counts.unexpected,
  }).toEqual({ unresolved: 0, otherFailures: 0, notWrittenStored: 0, unexpected: 0 });
}

/** Every acknowledged publish (but the exempt) was handled by the group. */
export function expectNoneLost(counts: GroupCounts): void {
  expect(
    counts.lost,
    `${counts.lost} acknowledged events never handled by ${counts.group}: ${counts.lostIds.slice(0, 10).join(', ')}`,
  ).toBe(0);
  expect(counts.acknowledged).toBeGreaterThan(0);
}
