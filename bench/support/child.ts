/**
 * Bench variants measured in a child process of their own (a fresh V8: no
 * JIT feedback, heap or connections left by the cases before): the child
 * runs a bench/support/*-child.ts script under the same loader (tsx) and
 * answers once over IPC.
 */
import { fork } from 'node:child_process';

/** Extra node flags for every child (BENCH_CHILD_NODE_FLAGS, e.g. `--max-semi-space-size=4`). */
function childFlags(): string[] {
  return (process.env.BENCH_CHILD_NODE_FLAGS ?? '').split(' ').filter((f) => f !== '');
}

/**
 * Runs `script` with `args` and resolves with the last message it sent;
 * rejects when it exits without one. Killed after `timeoutMs`.
 */
export function runChild<T>(
  script: string,
  args: readonly string[],
  timeoutMs: number,
  nodeFlags: readonly string[] = [],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, {
      execArgv: [...process.execArgv, ...nodeFlags, ...childFlags()],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let answer: { value: T } | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('message', (message) => {
      answer = { value: message as T };
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (answer) resolve(answer.value);
      else
        reject(new Error(`${script} ${args[0] ?? ''} exited with ${signal ?? code} and no answer`));
    });
  });
}
