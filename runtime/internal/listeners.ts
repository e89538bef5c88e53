/** Listeners of one kind of event: added and removed by the application, never able to break the bus. */
import type { Logger } from '../bus.js';

/** A set of listeners; a listener that throws is logged and the others still run. */
export class Listeners<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(
    private readonly logger: Logger,
    /** What the listeners hear, for the log line of one that throws. */
    private readonly what: string,
  ) {}

  /** Adds `listener`; returns the function that removes it. */
  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (thrown) {
        this.logger.error(
          { error: thrown instanceof Error ? thrown.message : String(thrown) },
          `a listener of ${this.what} threw; ignored`,
        );
      }
    }
  }
}
