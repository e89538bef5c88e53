/** Wait for conditions, not for time: each helper returns as soon as it holds. */

export interface WaitOptions {
  /** @default 10000 */
  readonly timeoutMs?: number;
  /** @default 10 */
  readonly intervalMs?: number;
}

/**
 * Polls `predicate` until it returns a truthy value and returns that value.
 * On timeout, throws with `describe()` (what the test saw) in the message.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  describe: () => string = () => 'condition',
  { timeoutMs = 10_000, intervalMs = 10 }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until `items` holds at least `n` elements and returns the first `n`.
 * On timeout, says how many arrived and what they were.
 */
export async function collect<T>(
  items: readonly T[],
  n: number,
  options?: WaitOptions,
): Promise<T[]> {
  await waitFor(
    () => items.length >= n,
    () => `${n} items, got ${items.length}: ${JSON.stringify(items.slice(0, 20))}`,
    options,
  );
  return items.slice(0, n);
}

/** A promise with its resolve function outside, to hold a handler until the test lets it go. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
