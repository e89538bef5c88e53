/**
 * A connection that gave up (its retryStrategy returned null: the fail-fast
 * setting the README shows) sends nothing more: every operation fails with a
 * ConnectionError naming the cause that ended it and saying the command was
 * not sent, never "it may or may not have been stored"
 * (PublishOutcomeUnknownError), which used to be what a publish after the
 * end got ("Connection is closed.", taken for a failure after sending).
 */
import { expect, it } from 'vitest';
import { ConnectionError, PublishOutcomeUnknownError, RedisEventBus } from '../../runtime/index.js';
import { jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { closedPort } from '../support/closed-port.js';
import { onCleanup, testCatalog } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

it('after the connection gave up, every operation fails unsent with the cause that ended it', async () => {
  const port = await closedPort();
  const bus = new RedisEventBus({
    catalog: testCatalog(),
    redis: { url: `redis://127.0.0.1:${port}`, retryStrategy: () => null },
    connectTimeoutMs: 1000,
    logger: captureLogger(),
  });
  onCleanup(() => bus.close({ timeoutMs: 0 }));
  await waitFor(
    () => bus.redis.status === 'end',
    () => `the connection to end, status ${bus.redis.status}`,
  );
  const operations: Record<string, () => Promise<unknown>> = {
    publish: () => bus.publish('job.requested', jobs(1)[0]!.data),
    publishBatch: () => bus.publishBatch(jobs(2)),
    'publish (stream + realtime)': () =>
      bus.publish('order.cancelled', {
        orderId: '0193a5c2-7d1e-7000-8000-000000000000',
        reason: 'r',
      }),
    bootstrap: () => bus.bootstrap(),
    'dlq list': () => bus.dlq('jobs').list(),
    inspect: () => bus.inspect(),
  };
  for (const [name, run] of Object.entries(operations)) {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e as ConnectionError,
    );
    expect(error, name).toBeInstanceOf(ConnectionError);
    expect(error, name).not.toBeInstanceOf(PublishOutcomeUnknownError);
    expect(error?.code, name).toBe('ECONNREFUSED');
    expect(error?.message, name).toMatch(/ECONNREFUSED.*the command was not sent/);
  }
});
