/** The Redis harness itself: a server of its own, kill -9 and restart on the same port with the AOF kept. */
import { describe, expect, it } from 'vitest';
import { startRedis, uniqueNamespace, waitForPing } from '../support/redis-harness.js';

describe('redis harness', () => {
  it('starts its own server, and restart() after kill9() keeps what the AOF holds', async () => {
    const server = await startRedis({ appendOnly: true });
    try {
      if (!server.canKill) return; // REDIS_URL or a container: nothing to kill
      const client = server.client();
      expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
      await client.set('survives', 'yes');
      await server.kill9();
      await server.restart();
      const again = server.client();
      expect(await again.get('survives')).toBe('yes');
    } finally {
      await server.stop();
    }
  });

  it('says what it waited for when a server does not answer', async () => {
    const server = await startRedis();
    const port = server.port;
    await server.stop();
    await expect(waitForPing(`redis://127.0.0.1:${port}`, 200)).rejects.toThrow(
      /did not answer PING within 200 ms/,
    );
  });

  it('gives every test a namespace of its own that fits catalogue names', () => {
    const a = uniqueNamespace();
    expect(a).toMatch(/^[a-z][a-z0-9-]*$/);
    expect(uniqueNamespace()).not.toBe(a);
  });
});
