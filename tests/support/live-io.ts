/** A `LiveIo` for command tests: what a command writes as it goes, a stop button, and chosen TTY flags. */
import type { LiveIo } from '../../cli/command.js';

/** The terminal a test hands a command, and what the command wrote to it. */
export interface TestLive {
  readonly live: LiveIo;
  /** Everything written to stdout so far. */
  out(): string;
  /** Everything written to stderr so far. */
  err(): string;
  /** Stops the command, as Ctrl-C does. */
  stop(): void;
}

/** A terminal that is not a TTY unless asked. */
export function testLive(tty: { stdout?: boolean; stderr?: boolean } = {}): TestLive {
  const controller = new AbortController();
  let out = '';
  let err = '';
  return {
    live: {
      out: (text) => {
        out += text;
      },
      err: (text) => {
        err += text;
      },
      stdoutIsTTY: tty.stdout ?? false,
      stderrIsTTY: tty.stderr ?? false,
      signal: controller.signal,
    },
    out: () => out,
    err: () => err,
    stop: () => controller.abort(),
  };
}
