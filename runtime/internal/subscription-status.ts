/**
 * The state a subscription shows its application: whether it reads, and
 * why not when it does not. Both buses keep one per subscription; only the
 * Redis bus ever fails (its reads or its group commands).
 */
import type { Logger, SubscriptionState } from '../bus.js';
import { Listeners } from './listeners.js';

/** State, last error and error listeners of one subscription. */
export class SubscriptionStatus {
  state: SubscriptionState = 'running';
  /** Why reading fails, while `reconnecting` (or why it is paused). */
  lastError: Error | undefined;
  /** When a read last succeeded (ms since the epoch), 0 before the first. */
  lastReadAt = 0;
  private readonly listeners: Listeners<Error>;

  constructor(logger: Logger) {
    this.listeners = new Listeners(logger, 'subscription errors');
  }

  /** Adds a listener called when reading starts failing; returns the function that removes it. */
  onError(listener: (error: Error) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Reading failed (the loop retries): `reconnecting`, and the listeners hear of it once per outage. */
  failed(error: Error): void {
    if (this.state !== 'running' && this.state !== 'reconnecting') return;
    const first = this.state === 'running';
    this.state = 'reconnecting';
    this.lastError = error;
    if (first) this.listeners.emit(error);
  }

  /** A read succeeded: `running` again. */
  recovered(): void {
    this.lastReadAt = Date.now();
    if (this.state !== 'reconnecting') return;
    this.state = 'running';
    this.lastError = undefined;
  }

  closing(): void {
    if (this.state !== 'closed') this.state = 'closing';
  }

  closed(): void {
    this.state = 'closed';
    this.lastError = undefined;
  }
}
