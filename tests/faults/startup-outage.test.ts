/**
 * Redis down when a service subscribes: the consumer's XGROUP CREATE fails
 * (here at once: `maxRetriesPerRequest: 1`; with the ioredis default of 20
 * after ~10 s). The consumer must create the group once Redis is back and
 * consume, not wait forever on the first failure.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

describe('Redis down at startup', () => {
  it('a consumer subscribed while Redis was down creates its group and consumes once Redis is back', async () => {
    expect(server().canKill).toBe(true);
    const catalog = testCatalog();
    const logger = captureLogger();
    await server().kill9();
    const bus = newBus(server(), catalog, {
      logger,
      redis: { host: '127.0.0.1', port: server().port, maxRetriesPerRequest: 1 },
    });
    const handled: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void handled.push(event.data.seq) },
      { consumer: 'c', blockMs: 200 },
    );
    await waitFor(
      () => logger.records.some((r) => /max retries/i.test(JSON.stringify(r.obj))),
      () => 'the group creation failed (command out of retries)',
    );
    await server().restart();
    await bus.publishBatch(jobs(1));
    await waitFor(
      () => handled.length === 1,
      () =>
        `the event handled after Redis came back; last logs: ${JSON.stringify(logger.records.slice(-3))}`,
      { timeoutMs: 20_000 },
    );
  });
});
