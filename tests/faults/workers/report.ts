/**
 * How a worker process reports: one JSON line per ledger record on stdout
 * (a pipe, written synchronously on Linux, so a line written before a
 * SIGKILL still reaches the test process).
 */
import type { Logger } from '../../../runtime/index.js';
import type { LedgerRecord } from '../support/ledger-records.js';

type Fields<R> = R extends LedgerRecord ? Omit<R, 'worker' | 'pid' | 'at'> : never;

/** A reporter for worker `worker`: `emit` writes one record; `logger` reports the bus's notices, warnings and errors. */
export function reporter(worker: string): {
  emit(record: Fields<LedgerRecord>): void;
  logger: Logger;
} {
  const emit = (record: Fields<LedgerRecord>) => {
    process.stdout.write(
      `${JSON.stringify({ worker, pid: process.pid, at: Date.now(), ...record })}\n`,
    );
  };
  const quiet = () => {};
  const log = (level: 'info' | 'warn' | 'error') => (_obj: object, msg?: string) =>
    emit({ kind: 'log', level, msg: msg ?? '' });
  return {
    emit,
    logger: { debug: quiet, info: log('info'), warn: log('warn'), error: log('error') },
  };
}

/** Resolves after `ms`, or rejects when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
