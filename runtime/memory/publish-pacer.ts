/**
 * Backpressure of the in-memory bus. A publish costs no I/O here, so a
 * producer with many publishes in flight would outrun its consumers without
 * bound: every publish resolves in one microtask, a handler slot frees in
 * one too, and with more publishes in flight than handler slots the backlog
 * grows by the difference on every turn of the microtask queue, the log
 * keeps every undelivered entry, and the garbage collector then spends its
 * time copying that backlog. So once a stream holds more than
 * {@link PACE_BACKLOG} entries that a group with live consumers has not been
 * handed yet, a publish (already stored) resolves only on the next turn of
 * the event loop: the microtask queue, left to the consumers, drains the
 * backlog first. It is a delay, never a wait on a condition: a handler that
 * awaits its own publish cannot deadlock its consumer.
 */

/** Undelivered entries of a group with live consumers above which publishes are paced. @default 4096 */
export const PACE_BACKLOG = 4096;

/**
 * `setImmediate` as loaded: fake timers a test installs later (vi.useFakeTimers)
 * do not stop paced publishes from resolving.
 */
const nextTurn = globalThis.setImmediate;

/** One promise per event-loop turn that every paced publish of that turn awaits. */
export class PublishPacer {
  #turn: Promise<void> | undefined;

  /** Resolves on the next turn of the event loop (after the microtask queue has drained). */
  turn(): Promise<void> {
    this.#turn ??= new Promise<void>((resolve) => {
      nextTurn(() => {
        this.#turn = undefined;
        resolve();
      });
    });
    return this.#turn;
  }
}
