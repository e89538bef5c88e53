/**
 * Sharp edges "A publish error means outcome unknown", "Security" and the
 * NOGROUP choice: errors say what happened and what to do, carry no command
 * arguments, redact URLs; the offline queue is bounded; sizes are checked
 * before sending and before parsing; a vanished group is re-created.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import {
  ConnectionError,
  DataLossError,
  PublishOutcomeUnknownError,
  ValidationError,
} from '../../runtime/errors.js';
import { RedisEventBus } from '../../runtime/index.js';
import { type Job, jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { startRedis } from '../support/redis-harness.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

describe('errors', () => {
  it('fails fast with maxOfflineQueue 0 when Redis is unreachable, naming the option, without the password', async () => {
    const down = await startRedis();
    const port = down.port;
    await down.stop();
    const catalog = testCatalog();
    const bus = new RedisEventBus({
      catalog,
      redis: `redis://app:s3cr3t-pass@127.0.0.1:${port}`,
      maxOfflineQueue: 0,
    });
    onCleanup(() => bus.close({ timeoutMs: 0 }));
    const error = await rejection(bus.publish('job.requested', { jobId: 'j', key: 'k', seq: 0 }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(PublishOutcomeUnknownError);
    expect(error.message).toMatch(/not connected .*maxOfflineQueue 0.*was not sent/);
    expect(error.message).not.toContain('s3cr3t');
    expect(error.message).toContain('redis://***@127.0.0.1');
    expect(bus.stats().publishFailed).toBe(1);
  });

  it('bounds the publishes waiting for a reconnect; those admitted are sent once Redis is back', async () => {
    const own = await startRedis();
    onCleanup(() => own.stop());
    const catalog = testCatalog();
    const bus = new RedisEventBus({
      catalog,
      redis: own.url,
      maxOfflineQueue: 2,
      connectTimeoutMs: 30_000,
    });
    onCleanup(() => bus.close({ timeoutMs: 0 }));
    await bus.publish('job.requested', { jobId: 'j', key: 'k', seq: 0 });
    await own.kill9();
    await waitFor(() => bus.redis.status !== 'ready');
    const waiting = [1, 2].map((seq) =>
      bus.publish('job.requested', { jobId: 'j', key: 'k', seq }),
    );
    const third = await rejection(bus.publish('job.requested', { jobId: 'j', key: 'k', seq: 3 }));
    expect(third).toBeInstanceOf(ConnectionError);
    expect(third.message).toMatch(/2 publishes already wait .*maxOfflineQueue 2/);
    await own.restart();
    const sent = await Promise.all(waiting);
    expect(sent.every((p) => p.entryId !== undefined)).toBe(true);
  });

  it('errors wrapping Redis replies carry no command arguments', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const admin = server().client();
    // Make the stream key a string: XADD then fails with WRONGTYPE.
    await admin.set(catalog.streams.jobs!.key, 'not a stream');
    const error = await rejection(
      bus.publish('job.requested', { jobId: 'secret-payload', key: 'k', seq: 0 }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).not.toBeInstanceOf(PublishOutcomeUnknownError);
    expect(error.message).toMatch(/refused by Redis .*WRONGTYPE.*nothing was written/);
    expect(error).not.toHaveProperty('command');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).not.toHaveProperty('command');
    expect(JSON.stringify({ ...error, cause: { ...(error.cause as object) } })).not.toContain(
      'secret-payload',
    );
  });

  it('checks the entry size before sending (publish) and before parsing (consume)', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog, { maxEntryBytes: 2048 });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    const big = { jobId: 'x'.repeat(4096), key: 'k', seq: 0 };
    const error = await rejection(bus.publish('job.requested', big));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/larger than 2048 bytes/);
    expect(await admin.exists(key)).toBe(0);
    await bus.bootstrap();
    // An oversized entry written by someone else goes to the DLQ as undecodable, unparsed.
    await bus.appendRaw('jobs', {
      specversion: '1.0',
      id: 'big-1',
      type: 'job.requested',
      data: JSON.stringify(big),
    });
    const handled: number[] = [];
    bus.subscribe('workers', {
      'job.requested': async (e: Envelope<Job>) => void handled.push(e.data.seq),
    });
    await waitFor(async () => (await bus.dlq('jobs').count()) === 1);
    const [letter] = await bus.dlq('jobs').list();
    expect(letter).toMatchObject({ reason: 'undecodable', attempts: 1 });
    expect(letter!.error).toMatch(/larger than 2048 bytes/);
    expect(handled).toEqual([]);
  });

  it('a group deleted under a running consumer is created again, with a DataLossError naming group and stream', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger });
    const signals: Error[] = [];
    bus.onError((error) => signals.push(error));
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    const handled: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (e: Envelope<Job>) => void handled.push(e.data.seq) },
      { blockMs: 100 },
    );
    await bus.publishBatch(jobs(1));
    await collect(handled, 1);
    await admin.xgroup('DESTROY', key, 'workers');
    await waitFor(
      () => logger.matching(/vanished/).length > 0,
      () => 'the NOGROUP error logged',
    );
    const [record] = logger.matching(/vanished/);
    expect(record?.level).toBe('error');
    expect(record?.msg).toMatch(/group "workers" of stream "jobs" .*bootstrap/);
    expect(signals).toHaveLength(1);
    expect(signals[0]).toBeInstanceOf(DataLossError);
    expect((signals[0] as DataLossError).groups).toEqual([{ stream: 'jobs', group: 'workers' }]);
    expect(bus.stats().dataLoss).toBe(1);
    expect((await bus.inspect()).losses).toMatchObject([{ groups: [{ group: 'workers' }] }]);
    await waitFor(async () =>
      JSON.stringify(await admin.xinfo('GROUPS', key)).includes('"workers"'),
    );
    await bus.publishBatch(
      jobs(2).map((j, i) => ({ ...j, data: { ...(j.data as Job), seq: i + 1 } })),
    );
    // Created again from the start (startFrom earliest): entry 0 comes again, then the new ones.
    await waitFor(
      () => handled.includes(1) && handled.includes(2),
      () => JSON.stringify(handled),
    );
  });

  it('an orderingKey that throws is logged, and the event is handled without a key', async () => {
    const logger = captureLogger();
    const bus = newBus(server(), testCatalog(), { logger });
    const handled: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (e: Envelope<Job>) => void handled.push(e.data.seq) },
      {
        orderingKey: () => {
          throw new Error('no key for you');
        },
      },
    );
    await bus.publishBatch(jobs(2));
    await collect(handled, 2);
    const [record] = logger.matching(/orderingKey threw/);
    expect(record?.level).toBe('warn');
    expect(record?.obj).toMatchObject({ group: 'workers', error: 'no key for you' });
  });
});
