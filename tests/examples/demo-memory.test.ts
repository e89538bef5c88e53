/** The demo on the in-memory bus, called directly and through `schemabus demo`. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDemoCommand } from '../../cli/commands/demo.js';
import { runDemo } from '../../examples/campaign-service/run-demo.js';
import { expectCompleteDemo } from './demo-assertions.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the campaign demo on the in-memory bus', () => {
  it('runs to its end: a retry, a dead letter, its replay, a summary', async () => {
    let text = '';
    const result = await runDemo({ out: (t) => (text += t) });
    expect(result.bus).toBe('in-memory');
    expect(text).toContain('the campaign service on the in-memory bus');
    expectCompleteDemo(result, text);
  });

  it('runs as `schemabus demo` and exits 0', async () => {
    vi.stubEnv('REDIS_URL', '');
    const outcome = await runDemoCommand({}, { cwd: process.cwd() });
    expect(outcome.stderr).toBe('');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('4. Summary');
    expect(outcome.stdout).toContain('replayed from the DLQ');
  });

  it('exits 2 saying what to do when --redis is not a Redis URL', async () => {
    const outcome = await runDemoCommand({ redis: 'localhost:6379' }, { cwd: process.cwd() });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain(
      '--redis must be a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL',
    );
  });
});
