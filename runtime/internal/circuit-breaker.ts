/**
 * The circuit breaker of one subscription (opt-in: `SubscribeOptions.circuitBreaker`).
 *
 * While handlers fail more than `failureRate` of the deliveries of the last
 * `windowMs` (at least `minDeliveries` of them), the breaker opens: the
 * subscription stops reading and starts no fetched entry for `coolDownMs`,
 * instead of spending every event's retry attempts on a downstream outage.
 * Then it lets one delivery through (half-open): its success closes the
 * breaker, its failure opens it again for another cool-down. Entries that
 * wait meanwhile stay this consumer's (the heartbeat keeps them).
 *
 * Which failures count is the application's call (`isFailure`: say, a
 * database or network error); `NonRetryableError` never counts (the event is
 * bad, not the infrastructure). Both buses use it, each with its own clock.
 */
import { NonRetryableError } from '../errors.js';

/** Options of a subscription's circuit breaker. */
export interface CircuitBreakerOptions {
  /** Share of failed deliveries, over the window, that opens the breaker. @default 0.5 */
  readonly failureRate?: number | undefined;
  /** The fewest deliveries in the window before it may open. @default 10 */
  readonly minDeliveries?: number | undefined;
  /** How far back deliveries count. @default 10000 */
  readonly windowMs?: number | undefined;
  /** How long it stays open before it lets one delivery through. @default 30000 */
  readonly coolDownMs?: number | undefined;
  /** Which handler errors count as failures (infrastructure faults). @default every error but NonRetryableError */
  readonly isFailure?: ((error: unknown) => boolean) | undefined;
}

/** `closed` (deliveries flow), `open` (none for the cool-down), `half-open` (one probe). */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** The timers a breaker runs on (a bus's clock). */
export interface BreakerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** @default 30000 */
export const DEFAULT_COOL_DOWN_MS = 30_000;

/** Buckets the window is counted in. */
const BUCKETS = 10;

/** One subscription's circuit breaker (see the module comment). */
export class CircuitBreaker {
  state: BreakerState = 'closed';
  /** The failure that opened it last, while it is not closed. */
  lastFailure: unknown;
  private readonly rate: number;
  private readonly min: number;
  private readonly bucketMs: number;
  private readonly coolDownMs: number;
  private readonly counts: Failure[];
  private readonly isFailure: (error: unknown) => boolean;
  private probing = false;
  private timer: unknown;
  private waiters: (() => void)[] = [];

  constructor(
    options: CircuitBreakerOptions,
    private readonly clock: BreakerClock,
    /** Told every change of state. */
    private readonly changed: (state: BreakerState, breaker: CircuitBreaker) => void,
  ) {
    this.rate = options.failureRate ?? 0.5;
    this.min = options.minDeliveries ?? 10;
    this.bucketMs = Math.max(1, Math.floor((options.windowMs ?? 10_000) / BUCKETS));
    this.coolDownMs = options.coolDownMs ?? DEFAULT_COOL_DOWN_MS;
    this.isFailure = options.isFailure ?? (() => true);
    this.counts = Array.from({ length: BUCKETS }, () => ({ at: -1, ok: 0, failed: 0 }));
  }

  /** Whether a delivery could start now: closed, or half-open with no probe running. */
  get admitting(): boolean {
    return this.state === 'closed' || (this.state === 'half-open' && !this.probing);
  }

  /** Whether a delivery may start now (in half-open, the one probe). */
  allow(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Resolves when a delivery may be tried again (at once when closed). */
  whenAllowed(): Promise<void> {
    if (this.admitting) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The outcome of a delivery that was allowed: `error` undefined for a success. */
  record(failed: boolean, error?: unknown): void {
    const counts = failed && !(error instanceof NonRetryableError) && this.isFailure(error);
    if (this.state === 'half-open' && this.probing) {
      this.probing = false;
      if (counts) this.open(error);
      else this.close();
      return;
    }
    if (this.state !== 'closed') return;
    const bucket = this.bucket();
    if (counts) bucket.failed++;
    else bucket.ok++;
    let ok = 0;
    let bad = 0;
    const since = this.clock.now() - BUCKETS * this.bucketMs;
    for (const b of this.counts) {
      if (b.at < since) continue;
      ok += b.ok;
      bad += b.failed;
    }
    if (counts && ok + bad >= this.min && bad / (ok + bad) > this.rate) this.open(error);
  }

  /** Stops its timer and lets every waiter go (the subscription closes). */
  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.wake();
  }

  private open(error: unknown): void {
    this.state = 'open';
    this.lastFailure = error;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.state = 'half-open';
      this.changed('half-open', this);
      this.wake();
    }, this.coolDownMs);
    this.changed('open', this);
  }

  private close(): void {
    this.state = 'closed';
    this.lastFailure = undefined;
    for (const b of this.counts) b.at = -1;
    this.changed('closed', this);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** The bucket of now, emptied when it is a new one. */
  private bucket(): Failure {
    const slot = Math.floor(this.clock.now() / this.bucketMs);
    const bucket = this.counts[slot % BUCKETS]!;
    if (bucket.at !== slot * this.bucketMs) {
      bucket.at = slot * this.bucketMs;
      bucket.ok = 0;
      bucket.failed = 0;
    }
    return bucket;
  }
}

interface Failure {
  /** The start of the bucket's time slot (ms), -1 when unused. */
  at: number;
  ok: number;
  failed: number;
}
