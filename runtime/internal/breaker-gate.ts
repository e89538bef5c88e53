/**
 * The glue between a consumer and its circuit breaker (circuit-breaker.ts),
 * the same for both buses: whether the consumer may read, whether a fetched
 * entry may start (else it waits, holding its slot, its attempt counter
 * untouched), each delivery's outcome, and the breaker's state in the
 * subscription's status (`paused`), the metrics and the log.
 *
 * One gate per subscription and stream (a group on one stream): the
 * consumers of a partitioned stream's partitions share it through a
 * {@link GateUse} each, so a downstream outage trips one breaker for the
 * group, whichever partitions it hits. The catalogue's `circuitBreaker` of
 * that group, overridden by the subscribe option.
 */
import type { Logger, SubscribeOptions } from '../bus.js';
import type { CatalogGroup } from '../catalog.js';
import {
  type BreakerClock,
  type BreakerState,
  CircuitBreaker,
  type CircuitBreakerOptions,
  DEFAULT_COOL_DOWN_MS,
} from './circuit-breaker.js';
import { errorMessage } from './logger.js';
import type { BusMetrics } from './metrics.js';
import type { SubscriptionStatus } from './subscription-status.js';

/** What health() shows of one breaker. */
export interface BreakerFacts {
  readonly stream: string;
  readonly state: BreakerState;
  /** The failure that opened it, while it is not closed. */
  readonly lastFailure: string | null;
}

/** What a gate needs from its bus. */
export interface GateDeps {
  readonly logger: Logger;
  readonly metrics: BusMetrics;
  readonly clock: BreakerClock;
}

/** The real clock; its timers never keep a process alive. */
export const breakerSystemClock: BreakerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

/**
 * The breaker options of `group` for a subscription: the subscribe option
 * (`false` turns a catalogue breaker off; `true` takes the catalogue's, else
 * the defaults; an object overrides the catalogue field by field), else the
 * catalogue's. `undefined` when there is no breaker.
 */
export function breakerOptionsOf(
  group: CatalogGroup,
  option: SubscribeOptions['circuitBreaker'],
): CircuitBreakerOptions | undefined {
  if (option === false) return undefined;
  const catalog = group.circuitBreaker;
  if (option === undefined) return catalog;
  if (option === true) return catalog ?? {};
  return { ...catalog, ...definedOnly(option) };
}

function definedOnly(options: CircuitBreakerOptions): CircuitBreakerOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/** The gate of a consumer of `group`, or `undefined` when it has no circuit breaker. */
export function gateFor(
  group: CatalogGroup,
  option: SubscribeOptions['circuitBreaker'],
  consumer: string,
  status: SubscriptionStatus,
  deps: GateDeps,
): BreakerGate | undefined {
  const options = breakerOptionsOf(group, option);
  return options && new BreakerGate(options, group, consumer, status, deps);
}

/** What a consumer asks of its gate: a {@link BreakerGate}, or one consumer's {@link GateUse} of it. */
export interface ConsumerGate {
  readonly reading: boolean;
  whenReading(): Promise<void>;
  /** Calls `listener` whenever the consumer may fetch again; returns the function that removes it. */
  onReading(listener: () => void): () => void;
  admit(key: object, start: () => void, drop: () => void): boolean;
  record(key: object, ok: boolean, error: unknown): void;
  dispose(): void;
}

/** A subscription's gate on one stream (see the module comment). */
export class BreakerGate implements ConsumerGate {
  readonly breaker: CircuitBreaker;
  /** The delivery let through in half-open, whose outcome decides. */
  private probe: object | undefined;
  private disposed = false;
  private readonly listeners: (() => void)[] = [];
  private readonly where: { stream: string; group: string; consumer: string };
  private readonly coolDownMs: number;

  constructor(
    options: CircuitBreakerOptions,
    group: CatalogGroup,
    consumer: string,
    private readonly status: SubscriptionStatus,
    private readonly deps: GateDeps,
  ) {
    this.where = { stream: group.stream, group: group.name, consumer };
    this.breaker = new CircuitBreaker(options, deps.clock, (state) => this.changed(state));
    this.coolDownMs = options.coolDownMs ?? DEFAULT_COOL_DOWN_MS;
    status.addGate(this);
    deps.metrics.circuitState(group.stream, group.name, 'closed');
  }

  /** Whether the consumer may fetch new entries (not while open, nor while a probe runs). */
  get reading(): boolean {
    return this.disposed || this.breaker.admitting;
  }

  /** Resolves when the consumer may fetch again (at once when it may). */
  whenReading(): Promise<void> {
    return this.reading ? Promise.resolve() : this.breaker.whenAllowed();
  }

  /** Calls `listener` whenever the consumer may fetch again; returns the function that removes it. */
  onReading(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /**
   * Starts the delivery `key` now when the breaker lets it, else once it
   * does (`start` again, which asks again); `drop` instead when the
   * subscription closed meanwhile.
   */
  admit(key: object, start: () => void, drop: () => void): boolean {
    if (this.disposed) return true;
    const halfOpen = this.breaker.state === 'half-open';
    if (this.breaker.allow()) {
      if (halfOpen) this.probe = key;
      return true;
    }
    void this.breaker.whenAllowed().then(() => (this.disposed ? drop() : start()));
    return false;
  }

  /** The outcome of the delivery `key` (admitted by {@link admit}). */
  record(key: object, ok: boolean, error: unknown): void {
    if (this.disposed) return;
    if (this.breaker.state !== 'closed') {
      // Only the probe's outcome decides; deliveries started before it opened do not.
      if (this.probe !== key) return;
      this.probe = undefined;
    }
    this.breaker.record(!ok, error);
  }

  /** The subscription closes: waiting deliveries are dropped (left pending). */
  dispose(): void {
    this.disposed = true;
    this.breaker.dispose();
  }

  /** A use of this gate by one consumer of its stream's partitions, released when that consumer stops. */
  use(): GateUse {
    return new GateUse(this);
  }

  facts(): BreakerFacts {
    const failure = this.breaker.lastFailure;
    return {
      stream: this.where.stream,
      state: this.breaker.state,
      lastFailure:
        this.breaker.state === 'closed' || failure === undefined ? null : errorMessage(failure),
    };
  }

  private changed(state: BreakerState): void {
    const { logger, metrics } = this.deps;
    const { stream, group } = this.where;
    metrics.circuitState(stream, group, state);
    if (state === 'open') {
      const error = errorMessage(this.breaker.lastFailure);
      this.status.paused(
        this,
        new Error(
          `the circuit breaker of group "${group}" on stream "${stream}" is open after too many handler failures (last: ${error}); it tries one delivery again after ${this.coolDownMs} ms`,
        ),
      );
      logger.warn(
        { ...this.where, state, coolDownMs: this.coolDownMs, error },
        'circuit breaker opened: the consumer stops reading for the cool-down',
      );
      return;
    }
    if (state === 'half-open') {
      logger.info({ ...this.where, state }, 'circuit breaker half-open: trying one delivery');
    } else {
      this.status.resumed(this);
      logger.info({ ...this.where, state }, 'circuit breaker closed: the consumer reads again');
    }
    for (const listener of this.listeners) listener();
  }
}

/**
 * One partition consumer's use of its subscription's gate: the same breaker,
 * but its own listeners and waiting deliveries, which `dispose()` drops at
 * once (left pending for the partition's next reader) while the gate goes on
 * for the other partitions. Outcomes always reach the gate: a half-open probe
 * of a consumer that stopped still decides.
 */
export class GateUse implements ConsumerGate {
  private disposed = false;
  /** Removes the listeners this consumer added to the gate. */
  private readonly offReading: (() => void)[] = [];
  /** Deliveries waiting for the breaker: each one's drop. */
  private readonly waiting = new Set<() => void>();

  constructor(private readonly gate: BreakerGate) {}

  get reading(): boolean {
    return this.disposed || this.gate.reading;
  }

  whenReading(): Promise<void> {
    return this.reading ? Promise.resolve() : this.gate.whenReading();
  }

  onReading(listener: () => void): () => void {
    const off = this.gate.onReading(listener);
    this.offReading.push(off);
    return off;
  }

  admit(key: object, start: () => void, drop: () => void): boolean {
    if (this.disposed) return true;
    const leave = () => {
      if (this.waiting.delete(leave)) drop();
    };
    const go = () => {
      if (this.waiting.delete(leave)) start();
    };
    if (this.gate.admit(key, go, leave)) return true;
    this.waiting.add(leave);
    return false;
  }

  record(key: object, ok: boolean, error: unknown): void {
    this.gate.record(key, ok, error);
  }

  dispose(): void {
    this.disposed = true;
    for (const off of this.offReading) off();
    for (const leave of [...this.waiting]) leave();
  }
}
