/** Runs a TypeScript fixture in its own Node process (through tsx) and reads its JSON lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running fixture process. */
export interface Fixture {
  readonly child: ChildProcess;
  /** Parsed JSON lines printed so far. */
  readonly lines: unknown[];
  /** What it printed on stderr (for failure messages). */
  stderr(): string;
  /** SIGKILL it and wait until it is gone. */
  kill9(): Promise<void>;
  /** Resolves with the exit signal or code. */
  readonly exited: Promise<string>;
}

/**
 * Starts `node --import tsx <file>` with `env` added to this process's
 * environment; `onLine` hears each JSON line as it arrives.
 */
export function startFixture(
  file: URL,
  env: Record<string, string>,
  onLine?: (line: unknown) => void,
): Fixture {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(file)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: unknown[] = [];
  let buffer = '';
  let errors = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) {
        const parsed: unknown = JSON.parse(line);
        lines.push(parsed);
        onLine?.(parsed);
      }
      newline = buffer.indexOf('\n');
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? String(code)));
  });
  return {
    child,
    lines,
    stderr: () => errors,
    exited,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
