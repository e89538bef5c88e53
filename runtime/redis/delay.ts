/** Timers of the Redis bus that must never outlive a close. */

/**
 * Resolves after `ms`, or at once when `signal` is (or becomes) aborted, in
 * which case the timer is cleared. The timer is unref'd: a pause of the bus
 * never keeps the process alive on its own.
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref?.();
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Settles like `promise`, or resolves `undefined` at once when `signal` is (or becomes) aborted. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits for `promise` (its failure ignored) until `deadline` (ms since the epoch) at the latest. */
export async function untilDeadline(promise: Promise<unknown>, deadline: number): Promise<void> {
  const expired = new AbortController();
  await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    delay(Math.max(0, deadline - Date.now()), expired.signal),
  ]);
  expired.abort();
}
