/** Waiting on conditions with a deadline, never for a fixed time. */

/** The demo could not finish: what it waited for and what it saw. */
export class DemoError extends Error {
  override name = 'DemoError';
}

/** How often a condition is checked. */
const POLL_MS = 10;

/**
 * Resolves with the first truthy value of `check`, polled every 10 ms;
 * rejects with a `DemoError` naming `what()` once `timeoutMs` has passed.
 */
export async function waitUntil<T>(
  check: () => T | Promise<T>,
  what: () => string,
  timeoutMs: number,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) {
      throw new DemoError(`gave up after ${timeoutMs} ms waiting for ${what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** `promise`, or a `DemoError` with `message` when it takes longer than `timeoutMs`. */
export async function withDeadline<T>(
  promise: Promise<T>,
  timeoutMs: number,
  message: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DemoError(message)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
