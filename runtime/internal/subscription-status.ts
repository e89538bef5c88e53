/**
 * The state a subscription shows its application: whether it reads, and
 * why not when it does not. Both buses keep one per subscription; only the
 * Redis bus ever fails (its reads or its group commands).
 */
import type { Logger, SubscriptionState } from '../bus.js';
import type { BreakerFacts } from './breaker-gate.js';
import { Listeners } from './listeners.js';

/** A circuit breaker of the subscription (breaker-gate.ts), as its status sees it. */
interface Gate {
  facts(): BreakerFacts;
  dispose(): void;
}

/** State, last error and error listeners of one subscription. */
export class SubscriptionStatus {
  state: SubscriptionState = 'running';
  /** Why reading fails, while `reconnecting` (or why it is paused). */
  lastError: Error | undefined;
  /** When a read last succeeded (ms since the epoch), 0 before the first. */
  lastReadAt = 0;
  private readonly listeners: Listeners<Error>;
  private readonly gates: Gate[] = [];
  /** The open breakers, with why each paused the subscription. */
  private readonly pausedBy = new Map<Gate, Error>();

  constructor(logger: Logger) {
    this.listeners = new Listeners(logger, 'subscription errors');
  }

  /** Adds a listener called when reading starts failing; returns the function that removes it. */
  onError(listener: (error: Error) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Reading failed (the loop retries): `reconnecting`, and the listeners hear of it once per outage. */
  failed(error: Error): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    const first = this.state !== 'reconnecting';
    this.state = 'reconnecting';
    this.lastError = error;
    if (first) this.listeners.emit(error);
  }

  /** A read succeeded: `running` again. */
  recovered(): void {
    this.lastReadAt = Date.now();
    if (this.state !== 'reconnecting') return;
    const paused = this.pausedBy.values().next();
    this.state = paused.done ? 'running' : 'paused';
    this.lastError = paused.done ? undefined : paused.value;
  }

  /** A circuit breaker of the subscription, one per stream (reported by health(), disposed on close). */
  addGate(gate: Gate): void {
    this.gates.push(gate);
  }

  /** Its circuit breakers, as health() reports them. */
  breakers(): BreakerFacts[] {
    return this.gates.map((g) => g.facts());
  }

  /** A circuit breaker opened: `paused` (unless it reconnects or closes), `lastError` says why. */
  paused(gate: Gate, why: Error): void {
    this.pausedBy.set(gate, why);
    if (this.state === 'running' || this.state === 'paused') {
      this.state = 'paused';
      this.lastError = why;
    }
  }

  /** A circuit breaker closed: `running` again once none is open. */
  resumed(gate: Gate): void {
    this.pausedBy.delete(gate);
    if (this.state !== 'paused') return;
    const other = this.pausedBy.values().next();
    if (other.done) {
      this.state = 'running';
      this.lastError = undefined;
    } else this.lastError = other.value;
  }

  closing(): void {
    for (const gate of this.gates) gate.dispose();
    if (this.state !== 'closed') this.state = 'closing';
  }

  closed(): void {
    this.state = 'closed';
    this.lastError = undefined;
  }
}
