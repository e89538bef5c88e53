/** Exponential backoff with jitter between delivery attempts; both buses use it. */
import type { RetryPolicy } from '../catalog.js';

/** The delay before the next delivery, before jitter: `min(maxMs, initialMs * factor^(failedAttempts-1))`. */
export function baseRetryDelayMs(policy: RetryPolicy, failedAttempts: number): number {
  const { initialMs, factor, maxMs } = policy.backoff;
  const n = Math.max(1, failedAttempts);
  return Math.min(maxMs, initialMs * factor ** (n - 1));
}

/**
 * The delay in ms before the next delivery after `failedAttempts` (>= 1)
 * failed deliveries: {@link baseRetryDelayMs} spread uniformly by
 * `+-jitter` of itself, never negative, rounded to whole ms.
 * `random` returns a number in [0, 1). @default Math.random
 */
export function retryDelayMs(
  policy: RetryPolicy,
  failedAttempts: number,
  random: () => number = Math.random,
): number {
  const base = baseRetryDelayMs(policy, failedAttempts);
  const jitter = policy.backoff.jitter;
  if (jitter <= 0) return Math.round(base);
  return Math.max(0, Math.round(base * (1 + jitter * (2 * random() - 1))));
}

/** The smallest delay {@link retryDelayMs} can return for `failedAttempts` (for lower-bound checks). */
export function minRetryDelayMs(policy: RetryPolicy, failedAttempts: number): number {
  const jitter = Math.max(0, policy.backoff.jitter);
  return Math.max(0, Math.floor(baseRetryDelayMs(policy, failedAttempts) * (1 - jitter)));
}
