/**
 * A rate-driven sender that does not drift: the i-th send is due at
 * `start + i / rate`, computed from the start, so a late timer makes the next
 * sends catch up instead of pushing every later one back.
 */
import { latencySummary } from './stats.js';

export interface PaceResult {
  readonly sent: number;
  /** How late the latest send was against its due time, in ms. */
  readonly maxLateMs: number;
  readonly elapsedMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `send(i)` for i = 0..count-1 at `ratePerSecond`. `send` must not block
 * (fire the publish and keep its promise elsewhere). Sleeps with timers
 * (about 1 ms resolution): at high rates the due sends go out in small bursts.
 */
export async function sendPaced(
  ratePerSecond: number,
  count: number,
  send: (i: number) => void,
): Promise<PaceResult> {
  const intervalMs = 1000 / ratePerSecond;
  const start = performance.now();
  let i = 0;
  let maxLateMs = 0;
  while (i < count) {
    const now = performance.now();
    while (i < count && start + i * intervalMs <= now) {
      const late = now - (start + i * intervalMs);
      if (late > maxLateMs) maxLateMs = late;
      send(i);
      i++;
    }
    if (i >= count) break;
    const wait = start + i * intervalMs - performance.now();
    await sleep(Math.max(1, Math.floor(wait)));
  }
  return { sent: count, maxLateMs, elapsedMs: performance.now() - start };
}

/** Latencies in ms, recorded into a preallocated array (no allocation per sample). */
export class LatencyRecorder {
  private readonly values: Float64Array;
  count = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  /** Records `performance.now() - sentAt`. */
  recordSince(sentAt: number): void {
    if (this.count < this.capacity) this.values[this.count++] = performance.now() - sentAt;
  }

  /** Resolves once `n` samples arrived, or rejects after `timeoutMs` saying how many did. */
  async waitFor(n: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.count < n) {
      if (performance.now() > deadline) {
        throw new Error(`timed out after ${timeoutMs} ms: received ${this.count} of ${n} events`);
      }
      await sleep(5);
    }
  }

  summary(): Record<string, number> {
    return latencySummary(this.values, this.count);
  }
}
