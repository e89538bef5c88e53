/**
 * Worker processes of a scenario (tests/faults/workers/main.ts run with
 * `node --import tsx`), whose stdout lines go into the scenario's ledger,
 * and the signals a scenario sends them.
 */
import { type Fixture, startFixture } from '../../support/child-process.js';
import { WORKER_ENV, type WorkerConfig } from '../workers/config.js';
import type { Ledger } from './ledger.js';

const entry = new URL('../workers/main.ts', import.meta.url);

/** One worker process. */
export class WorkerProcess {
  private constructor(
    readonly name: string,
    private readonly fixture: Fixture,
  ) {}

  /** Starts the worker `config` describes; its records go to `ledger`. */
  static start(ledger: Ledger, config: WorkerConfig): WorkerProcess {
    const fixture = startFixture(entry, { [WORKER_ENV]: JSON.stringify(config) }, (line) =>
      ledger.add(line),
    );
    return new WorkerProcess(config.name, fixture);
  }

  get pid(): number {
    return this.fixture.child.pid ?? -1;
  }

  /** Whether the process has not exited. */
  get alive(): boolean {
    return this.fixture.child.exitCode === null && this.fixture.child.signalCode === null;
  }

  /** Resolves with the exit code or signal. */
  get exited(): Promise<string> {
    return this.fixture.exited;
  }

  /** What it printed on stderr. */
  stderr(): string {
    return this.fixture.stderr();
  }

  /** SIGKILL, and wait until it is gone. */
  kill9(): Promise<void> {
    if (this.alive) this.fixture.child.kill('SIGCONT');
    return this.fixture.kill9();
  }

  /** SIGSTOP: the process stops dead (no timer, no socket read) until {@link resume}. */
  pause(): void {
    this.fixture.child.kill('SIGSTOP');
  }

  /** SIGCONT. */
  resume(): void {
    this.fixture.child.kill('SIGCONT');
  }

  /**
   * SIGTERM (a publisher stops publishing, a consumer closes its bus) and
   * wait for the exit; throws, after a SIGKILL, when it is not gone within
   * `timeoutMs` (a close that hangs, a publish that never settles).
   */
  async terminate(timeoutMs = 20_000): Promise<string> {
    if (!this.alive) return this.exited;
    this.fixture.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    const exit = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (exit === 'late') {
      await this.kill9();
      throw new Error(
        `worker ${this.name} did not exit within ${timeoutMs} ms of SIGTERM; stderr: ${this.stderr()}`,
      );
    }
    if (exit !== '0') {
      throw new Error(`worker ${this.name} exited with ${exit}; stderr: ${this.stderr()}`);
    }
    return exit;
  }
}
