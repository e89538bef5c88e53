/**
 * The process's terminal as a command's `LiveIo`: stdout and stderr, whether
 * each is a TTY, and a signal SIGINT and SIGTERM abort while a command that
 * runs until stopped runs (only then: other commands keep Node's own Ctrl-C).
 */
import type { CommandContext, LiveIo } from '../command.js';

/**
 * Runs `work` with `context.live` when a test gave one, else with the
 * process's terminal. With `stoppable` (commands that run until stopped), the
 * first SIGINT or SIGTERM aborts its signal instead of ending the process;
 * otherwise Ctrl-C ends the process as usual and the signal never aborts.
 */
export async function withLiveIo<T>(
  context: CommandContext,
  work: (context: CommandContext & { readonly live: LiveIo }) => Promise<T>,
  stoppable = true,
): Promise<T> {
  if (context.live !== undefined) return work({ ...context, live: context.live });
  const controller = new AbortController();
  const stop = () => controller.abort();
  if (stoppable) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  const live: LiveIo = {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    signal: controller.signal,
  };
  try {
    return await work({ ...context, live });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Resolves when `signal` aborts (at once if it has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
