/**
 * How a worker process reports: one JSON line per ledger record on stdout,
 * a pipe made blocking first. Node writes to a pipe asynchronously on Linux:
 * once the pipe is full, lines wait in the process's memory, and a SIGKILL
 * or `process.exit` drops them (the ledger would lose handlings and acks).
 * Blocking, each line is in the kernel's pipe buffer before the worker goes
 * on, and the test process reads it even after the worker died.
 */
import type { Logger } from '../../../runtime/index.js';
import type { LedgerRecord } from '../support/ledger-records.js';

const stdoutHandle = (
  process.stdout as unknown as { _handle?: { setBlocking?(on: boolean): void } }
)._handle;
if (stdoutHandle?.setBlocking === undefined) {
  throw new Error('worker: stdout is not a pipe that can be made blocking; records could be lost');
}
stdoutHandle.setBlocking(true);

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
