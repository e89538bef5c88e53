/**
 * CPU profiles of single variant runs (`--profile DIR`): the V8 profiler runs
 * only while a variant runs, so the profile shows that variant and not the
 * pre-filling or the other side. Read one with support/cpu-profile-top.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export class VariantProfiler {
  private session: Session | undefined;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  async start(): Promise<void> {
    this.session ??= new Session();
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 100 });
    await this.session.post('Profiler.start');
  }

  /** Stops profiling and writes `<name>.cpuprofile`; returns its path. */
  async stop(name: string): Promise<string> {
    const session = this.session;
    if (!session) throw new Error('profiler not started');
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    session.disconnect();
    const file = join(this.dir, `${name.replace(/[^\w.-]+/g, '_')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  }
}
