/**
 * Redis down when a service subscribes: the consumer's XGROUP CREATE fails
 * (after the bus's connectTimeoutMs). The subscription says so (`onError`,
 * `state`, `lastError` naming ECONNREFUSED), creates the group once Redis is
 * back and consumes, not waiting forever on the first failure.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { ConnectionError } from '../../runtime/errors.js';
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
      redis: { host: '127.0.0.1', port: server().port },
      connectTimeoutMs: 300,
    });
    const handled: number[] = [];
    const sub = bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void handled.push(event.data.seq) },
      { consumer: 'c', blockMs: 200 },
    );
    const errors: Error[] = [];
    sub.onError((error) => errors.push(error));
    await waitFor(
      () => errors.length > 0,
      () => `an error event of the subscription (state ${sub.state})`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ConnectionError);
    expect((errors[0] as ConnectionError).code).toBe('ECONNREFUSED');
    expect(errors[0]!.message).toMatch(/group "workers".*ECONNREFUSED/);
    expect(sub.state).toBe('reconnecting');
    expect(sub.lastError).toBeInstanceOf(ConnectionError);
    await server().restart();
    await bus.publishBatch(jobs(1));
    await waitFor(
      () => handled.length === 1,
      () =>
        `the event handled after Redis came back; last logs: ${JSON.stringify(logger.records.slice(-3))}`,
      { timeoutMs: 20_000 },
    );
    expect(sub.state).toBe('running');
    expect(sub.lastError).toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
