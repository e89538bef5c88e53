import { afterEach, describe, expect, it } from 'vitest';
import { RedisEventBus } from '../../runtime/index.js';
import { createTestCatalog, orderPlacedData } from '../contract/catalog.js';
import { closedPort } from '../support/closed-port.js';
import { waitFor } from '../support/wait.js';

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
