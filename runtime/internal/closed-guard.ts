/**
 * What a closed bus answers: every promise-returning method rejects with a
 * `ClosedError` (never a synchronous throw a `.catch` would miss), on both
 * buses alike, and a dead-letter queue obtained before the close does too.
 */
import type { DeadLetterQueue } from '../dead-letter-queue.js';
import { ClosedError } from '../errors.js';

/** The error for `operation` on a closed bus of class `bus`. */
export function closedError(bus: string, operation: string): ClosedError {
  return new ClosedError(`${operation} on a closed ${bus}; create a new bus`);
}

/** A promise rejected with {@link closedError}. */
export function closedRejection(bus: string, operation: string): Promise<never> {
  return Promise.reject(closedError(bus, operation));
}

/** `queue`, whose every method rejects with a `ClosedError` once `isClosed()` says so. */
export function guardDeadLetterQueue(
  queue: DeadLetterQueue,
  bus: string,
  isClosed: () => boolean,
): DeadLetterQueue {
  const refused = (operation: string) => isClosed() && closedRejection(bus, `dlq().${operation}`);
  return {
    list: (options) => refused('list') || queue.list(options),
    count: () => refused('count') || queue.count(),
    replay: (id) => refused('replay') || queue.replay(id),
    replayAll: (filter) => refused('replayAll') || queue.replayAll(filter),
    purge: (filter) => refused('purge') || queue.purge(filter),
  };
}
