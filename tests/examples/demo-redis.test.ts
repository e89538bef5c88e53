/**
 * The demo on a real redis-server (the harness's), twice on the same server:
 * the catalogue's namespace is fixed, so a run must cope with the streams,
 * groups and consumers an earlier run left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoCommand } from '../../cli/commands/demo.js';
import { runDemo } from '../../examples/campaign-service/run-demo.js';
import { type RedisServer, startRedis } from '../support/redis-harness.js';
import { expectCompleteDemo } from './demo-assertions.js';

let server: RedisServer;

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server?.stop();
});

describe('the campaign demo on Redis', () => {
  it('runs to its end, and again on the same server', async () => {
    for (const run of [1, 2]) {
      let text = '';
      const result = await runDemo({ redisUrl: server.url, out: (t) => (text += t) });
      expect(result.bus, `run ${run}`).toBe('redis');
      expect(text).toContain(`the campaign service on Redis at ${server.url}`);
      expectCompleteDemo(result, text);
    }
    const admin = server.client();
    const groups = (await admin.xinfo('GROUPS', '{campaigns:notification-events}')) as unknown[][];
    const email = groups.find((row) => row[1] === 'email-service');
    expect(email?.[email.indexOf('pending') + 1]).toBe(0);
    expect(await admin.xlen('{campaigns:notification-events}:dlq')).toBe(0);
  });

  it('runs as `schemabus demo --redis URL` and exits 0', async () => {
    const outcome = await runDemoCommand({ redis: server.url }, { cwd: process.cwd() });
    expect(outcome.stderr).toBe('');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('4. Summary');
  });

  it('exits 2 with the password redacted when Redis does not answer', async () => {
    const outcome = await runDemoCommand(
      { redis: 'redis://demo:s3cret@127.0.0.1:1' },
      { cwd: process.cwd() },
    );
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('cannot reach Redis at redis://***@127.0.0.1:1');
    expect(outcome.stderr).not.toContain('s3cret');
  });
});
