/**
 * After close() no timer of the bus is left behind: waits (the read loop's
 * backoff, the re-read's retry pause, a retry held until due, the watchdog's
 * CLIENT KILL race) are cleared on close, so a closed bus neither keeps the
 * process alive nor fires into a closed consumer.
 *
 * Timers are attributed to the runtime by wrapping the global setTimeout /
 * setInterval for the test (the runtime calls the globals): counting
 * `process.getActiveResourcesInfo()` 'Timeout' entries against a baseline
 * also counts the test runner's own timers, which come and go.
 */
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

/**
 * Tracks timers created from runtime/ code: `live()` lists those not fired or
 * cleared yet; after `closed()`, a runtime timer that fires is recorded in
 * `late()` (a timer close() should have cleared, not one that expired).
 */
function trackRuntimeTimers(): { live(): string[]; closed(): void; late(): string[] } {
  const live = new Map<NodeJS.Timeout, string>();
  const late: string[] = [];
  let isClosed = false;
  const original = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
  };
  const origin = () => {
    const frame = new Error().stack?.split('\n').find((line) => line.includes('/runtime/'));
    return frame?.trim();
  };
  const wrappedSetTimeout = (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const where = origin();
    const handle: NodeJS.Timeout = original.setTimeout(
      (...a: unknown[]) => {
        if (isClosed && where) late.push(`setTimeout(${ms}) ${where}`);
        live.delete(handle);
        fn(...a);
      },
      ms,
      ...args,
    );
    if (where) live.set(handle, `setTimeout(${ms}) ${where}`);
    return handle;
  };
  const wrappedSetInterval = (
    fn: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const where = origin();
    const handle = original.setInterval(fn, ms, ...args);
    if (where) live.set(handle, `setInterval(${ms}) ${where}`);
    return handle;
  };
  const forget = (handle: unknown) => live.delete(handle as NodeJS.Timeout);
  Object.assign(globalThis, {
    setTimeout: wrappedSetTimeout,
    setInterval: wrappedSetInterval,
    clearTimeout: (h: NodeJS.Timeout | undefined) => {
      forget(h);
      original.clearTimeout(h);
    },
    clearInterval: (h: NodeJS.Timeout | undefined) => {
      forget(h);
      original.clearInterval(h);
    },
  });
  onCleanup(() => {
    Object.assign(globalThis, original);
  });
  return {
    live: () => [...live.values()],
    closed: () => {
      isClosed = true;
    },
    late: () => late,
  };
}

const RETRYING = /read failed; retrying/;

describe('timers after close()', () => {
  it('none is left, even when the bus is closed right after a read failed and the consumer backs off', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const admin = server().client();
    // The reader's CLIENT ID (sent before its first read) is refused: every read fails and the consumer backs off.
    await admin.acl('SETUSER', 'default', '-client|id');
    onCleanup(async () => {
      await admin.acl('SETUSER', 'default', '+client|id');
    });
    const timers = trackRuntimeTimers();
    const bus = newBus(server(), catalog, { logger });
    bus.subscribe('workers', { 'job.requested': async () => {} }, { consumer: 'c', blockMs: 200 });
    await waitFor(
      () => logger.matching(RETRYING).length >= 3,
      () => 'three failed reads',
    );
    // Close right after a failure, while the pause after it (>= 400 ms) has just begun.
    const failures = logger.matching(RETRYING).length;
    await waitFor(() => logger.matching(RETRYING).length > failures, undefined, { intervalMs: 1 });
    expect(timers.live().length).toBeGreaterThan(0); // the tracking sees the bus's timers
    await bus.close({ timeoutMs: 0 });
    timers.closed();
    let left: string[] = [];
    await waitFor(
      () => {
        left = timers.live();
        return left.length === 0;
      },
      () => `no runtime timer after close; live: ${JSON.stringify(left)}`,
      { timeoutMs: 250 },
    );
    expect(timers.late()).toEqual([]);
  });
});
