import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../../runtime/catalog.js';
import { baseRetryDelayMs, minRetryDelayMs, retryDelayMs } from '../../runtime/internal/backoff.js';

const policy: RetryPolicy = {
  maxAttempts: 6,
  backoff: { initialMs: 200, factor: 2, maxMs: 1000, jitter: 0.2 },
};

describe('retryDelayMs', () => {
  it.each([
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1000],
    [10, 1000],
  ])('after %i failed attempts: %i ms before jitter', (failed, want) => {
    expect(baseRetryDelayMs(policy, failed)).toBe(want);
    expect(retryDelayMs(policy, failed, () => 0.5)).toBe(want);
  });

  it('spreads by +-jitter', () => {
    expect(retryDelayMs(policy, 1, () => 0)).toBe(160);
    expect(retryDelayMs(policy, 1, () => 0.999999)).toBe(240);
    expect(minRetryDelayMs(policy, 2)).toBe(320);
    for (let i = 0; i < 1000; i++) {
      const d = retryDelayMs(policy, 2);
      expect(d).toBeGreaterThanOrEqual(320);
      expect(d).toBeLessThanOrEqual(480);
    }
  });

  it('without jitter is exact, and never negative', () => {
    const exact = { ...policy, backoff: { ...policy.backoff, jitter: 0 } };
    expect(retryDelayMs(exact, 3, () => 0)).toBe(800);
    const wild = { ...policy, backoff: { ...policy.backoff, jitter: 2 } };
    expect(retryDelayMs(wild, 1, () => 0)).toBe(0);
  });

  it('treats 0 failed attempts as 1', () => {
    expect(baseRetryDelayMs(policy, 0)).toBe(200);
  });
});
