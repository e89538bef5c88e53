/** A running subscription of the in-memory bus: one consumer per stream of its group. */
import type { CloseOptions, Logger, Subscription, SubscriptionState } from '../bus.js';
import { ClosedError } from '../errors.js';
import type { SubscriptionFacts } from '../internal/bus-health.js';
import { SubscriptionStatus } from '../internal/subscription-status.js';
import type { Clock } from './clock.js';
import type { MemoryConsumer } from './memory-consumer.js';

/** How long `close()` waits for in-flight handlers. @default 10000 */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

/** A subscription of {@link InMemoryEventBus}. */
export class MemorySubscription implements Subscription {
  readonly #abort = new AbortController();
  #consumers: readonly MemoryConsumer[] = [];
  #closing: Promise<void> | undefined;
  readonly #status: SubscriptionStatus;

  constructor(
    readonly group: string,
    readonly consumer: string,
    private readonly clock: Clock,
    private readonly onClosed: (subscription: MemorySubscription) => void,
    logger: Logger,
  ) {
    this.#status = new SubscriptionStatus(logger);
  }

  get state(): SubscriptionState {
    return this.#status.state;
  }

  get lastError(): Error | undefined {
    return this.#status.lastError;
  }

  /** @internal Its state, which its consumers' circuit breakers pause. */
  get status(): SubscriptionStatus {
    return this.#status;
  }

  /** What `health()` reports of it (its last read: when a consumer of it last took an entry, on the bus clock). */
  facts(): SubscriptionFacts {
    return {
      group: this.group,
      consumer: this.consumer,
      state: this.#status.state,
      lastError: this.#status.lastError,
      lastReadAt: this.#consumers.reduce((last, c) => Math.max(last, c.seenAt), 0),
      breakers: this.#status.breakers(),
    };
  }

  /** An in-memory subscription never fails to read: the listener is kept, never called. */
  onError(listener: (error: Error) => void): () => void {
    return this.#status.onError(listener);
  }

  /** Aborted when `close` gives up on the handlers still running. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** @internal Sets the consumers (once, right after construction). */
  start(consumers: readonly MemoryConsumer[]): void {
    this.#consumers = consumers;
  }

  /**
   * Stops taking entries (fetched, unstarted ones stay pending), waits up to
   * `timeoutMs` (on the bus clock) for running handlers and acks those that
   * succeed; then aborts `ctx.signal` of the rest and leaves them pending for
   * another consumer after claimIdleMs. Idempotent.
   */
  close(options: CloseOptions = {}): Promise<void> {
    this.#closing ??= this.#close(options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS);
    return this.#closing;
  }

  async #close(timeoutMs: number): Promise<void> {
    this.#status.closing();
    for (const consumer of this.#consumers) consumer.stop();
    let finished = this.#consumers.every((c) => c.idle);
    // A zero timeout gives up at once, without a timer (a manual clock would never fire it).
    if (!finished && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = this.clock.setTimeout(resolve, timeoutMs);
        void Promise.all(this.#consumers.map((c) => c.whenIdle())).then(() => {
          finished = true;
          this.clock.clearTimeout(timer);
          resolve();
        });
      });
    }
    if (!finished) {
      for (const consumer of this.#consumers) consumer.abandon();
      this.#abort.abort(
        new ClosedError(
          `subscription of group "${this.group}" closed after waiting ${timeoutMs} ms; this handler's event stays pending for another consumer`,
        ),
      );
    }
    this.#status.closed();
    this.onClosed(this);
  }
}
