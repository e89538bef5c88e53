/**
 * close() acks the handlers that finished. When the final ack flush fails
 * (here: XACK refused by an ACL; a dropped connection alike), close retries
 * it until its deadline instead of dropping the queued acks; if they still
 * cannot be sent it says so (an error log with their number): those entries
 * stay pending and are delivered again — at-least-once holds.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();

/** Refuses XACK to every client (the default user) until the test ends or `allow()`. */
async function refuseXack(admin: Redis): Promise<{ allow(): Promise<void> }> {
  await admin.acl('SETUSER', 'default', '-xack');
  const allow = async () => {
    await admin.acl('SETUSER', 'default', '+xack');
  };
  onCleanup(allow);
  return { allow };
}

async function subscribeOne(bus: ReturnType<typeof newBus>) {
  const handled: number[] = [];
  // blockMs long: no read comes by to carry the ack; ackIntervalMs (bus) long: no timer flush either.
  const sub = bus.subscribe(
    'workers',
    { 'job.requested': async (event: Envelope<Job>) => void handled.push(event.data.seq) },
    { consumer: 'c', blockMs: 10_000 },
  );
  await bus.publishBatch(jobs(1));
  await collect(handled, 1);
  return sub;
}

describe('close() and the final ack flush', () => {
  it('retries a failed final ack flush within the close deadline: finished work ends acked', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger, ackIntervalMs: 60_000 });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    const xack = await refuseXack(admin);
    const sub = await subscribeOne(bus);
    const closing = sub.close({ timeoutMs: 5000 });
    await waitFor(
      () => logger.matching(/acks failed/).length > 0,
      () => 'a failed ack flush',
    );
    await xack.allow();
    await closing;
    expect((await admin.xpending(key, 'workers'))[0]).toBe(0);
    expect(logger.matching(/could not be sent/)).toEqual([]);
  });

  it('logs an error with the number of acks left unsent when they cannot be sent before the deadline', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger, ackIntervalMs: 60_000 });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    await refuseXack(admin);
    const sub = await subscribeOne(bus);
    await sub.close({ timeoutMs: 100 });
    const [record] = logger.matching(/could not be sent/);
    expect(record?.level).toBe('error');
    expect(record?.obj).toMatchObject({ group: 'workers', consumer: 'c', unsent: 1 });
    expect(record?.msg).toMatch(/delivered again/);
    // Left pending, never acked: another consumer gets it again.
    expect((await admin.xpending(key, 'workers'))[0]).toBe(1);
  });
});
