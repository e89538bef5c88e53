import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisEventBus } from '../../runtime/index.js';
import { createTestCatalog, orderPlacedData } from '../contract/catalog.js';
import { waitFor } from '../support/wait.js';

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('close() of a bus whose server never answered', () => {
  let bus: RedisEventBus | undefined;
  afterEach(async () => {
    await bus?.close({ timeoutMs: 0 });
  });

  // The deadline stands for "does not hang": before the fix close() took ~10 s,
  // the time ioredis needs to give up its reconnect retries.
  it('resolves without waiting for ioredis to exhaust its reconnect retries', {
    timeout: 5000,
  }, async () => {
    const port = await closedPort();
    const closing = new RedisEventBus({
      catalog: createTestCatalog('unreachable'),
      redis: `redis://127.0.0.1:${port}`,
    });
    bus = closing;
    const publishing = closing.publish('order.placed', orderPlacedData()).catch((e: unknown) => e);
    const bootstrapping = closing.bootstrap().catch((e: unknown) => e);
    // Closed while ioredis is between reconnect attempts.
    await waitFor(
      () => closing.redis.status === 'reconnecting',
      () => closing.redis.status,
    );
    await closing.close({ timeoutMs: 0 });
    expect(await publishing).toBeInstanceOf(Error);
    expect(await bootstrapping).toBeInstanceOf(Error);
  });
});
