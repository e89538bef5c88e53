/**
 * What the bus logs, on both buses, with a capturing logger: the fields of a
 * handler failure and of a dead-letter record (stream, group, consumer,
 * entryId, eventId, type, attempt, traceId, error), the subscription's start
 * and stop, and that no record holds a payload value or the Redis password.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../runtime/bus.js';
import { InMemoryEventBus, RedisEventBus } from '../../runtime/index.js';
import { createTestCatalog } from '../contract/catalog.js';
import { type CapturingLogger, captureLogger } from '../support/capture-logger.js';
import { type RedisServer, startRedis, uniqueNamespace } from '../support/redis-harness.js';
import { waitFor } from '../support/wait.js';

const PASSWORD = 'pw-never-logged-6f1c';
const PAYLOAD_VALUE = 'payload-value-never-logged-93ab';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

let server: RedisServer;
let admin: Redis;

beforeAll(async () => {
  server = await startRedis();
  admin = server.client();
  await admin.config('SET', 'requirepass', PASSWORD);
});

afterAll(async () => {
  await admin.config('SET', 'requirepass', '');
  await server.stop();
});

const buses: [string, (logger: CapturingLogger) => EventBus][] = [
  [
    'InMemoryEventBus',
    (logger) => new InMemoryEventBus({ catalog: createTestCatalog(uniqueNamespace('l')), logger }),
  ],
  [
    'RedisEventBus',
    (logger) =>
      new RedisEventBus({
        catalog: createTestCatalog(uniqueNamespace('l')),
        redis: server.url.replace('redis://', `redis://:${PASSWORD}@`),
        logger,
      }),
  ],
];

describe.each(buses)('log records: %s', (_, makeBus) => {
  it('names the delivery in a handler failure and a dead letter, and never a payload value or a password', async () => {
    const logger = captureLogger();
    const bus = makeBus(logger);
    try {
      await bus.bootstrap();
      const sub = bus.subscribe(
        'workers',
        {
          'job.requested': async () => {
            throw new Error('warehouse API down');
          },
        },
        { consumer: 'worker-1' },
      );
      const published = await bus.publish(
        'job.requested',
        { jobId: PAYLOAD_VALUE, key: PAYLOAD_VALUE, seq: 7 },
        { traceparent: TRACEPARENT },
      );
      await waitFor(
        () => logger.matching(/dead-letter queue/).length > 0,
        () => `a dead-letter record; got ${JSON.stringify(logger.records.map((r) => r.msg))}`,
      );
      await sub.close();

      const delivery = {
        stream: 'jobs',
        group: 'workers',
        consumer: 'worker-1',
        entryId: published.entryId,
        eventId: published.id,
        type: 'job.requested',
        traceId: TRACE_ID,
      };
      const failures = logger.matching(/handler failed/);
      expect(failures.map((r) => (r.obj as { attempt: number }).attempt)).toEqual([1, 2, 3]);
      expect(failures[0]).toEqual({
        level: 'warn',
        msg: 'handler failed; retrying after the backoff',
        obj: {
          ...delivery,
          attempt: 1,
          retryInMs: expect.any(Number),
          error: 'warehouse API down',
        },
      });
      const [letter] = logger.matching(/dead-letter queue/);
      expect(letter).toEqual({
        level: 'error',
        msg: 'entry moved to the dead-letter queue',
        obj: { ...delivery, attempt: 4, reason: 'exhausted', error: 'warehouse API down' },
      });
      expect(logger.matching(/^subscription (started|stopped)$/)).toEqual([
        {
          level: 'info',
          msg: 'subscription started',
          obj: { group: 'workers', consumer: 'worker-1', streams: ['jobs'] },
        },
        {
          level: 'info',
          msg: 'subscription stopped',
          obj: { group: 'workers', consumer: 'worker-1', streams: ['jobs'] },
        },
      ]);
      const [replayed] = await bus.dlq('jobs').list();
      await bus.dlq('jobs').replay(replayed!.id);
      expect(logger.matching(/replayed/)).toEqual([
        {
          level: 'info',
          msg: 'dead letter replayed to its group',
          obj: {
            stream: 'jobs',
            group: 'workers',
            entryId: expect.any(String),
            eventId: published.id,
            type: 'job.requested',
            traceId: TRACE_ID,
            deadLetterId: replayed!.id,
            originalEntryId: published.entryId,
          },
        },
      ]);
    } finally {
      await bus.close({ timeoutMs: 50 });
    }
    const text = JSON.stringify(logger.records);
    expect(text).not.toContain(PAYLOAD_VALUE);
    expect(text).not.toContain(PASSWORD);
  });
});

describe('log records: RedisEventBus only', () => {
  it('logs the takeover of entries from a consumer presumed dead, naming it', async () => {
    const logger = captureLogger();
    const bus = buses[1]![1](logger) as RedisEventBus;
    try {
      let started = false;
      const stuck = bus.subscribe(
        'workers',
        {
          'job.requested': () => {
            started = true;
            return new Promise<void>(() => {});
          },
        },
        { consumer: 'dead-1' },
      );
      const published = await bus.publish('job.requested', { jobId: 'j', key: 'k', seq: 1 });
      await waitFor(
        () => started,
        () => 'the stuck handler started',
      );
      await stuck.close({ timeoutMs: 0 }); // abandoned: left pending, owned by dead-1
      const handled: string[] = [];
      bus.subscribe(
        'workers',
        {
          'job.requested': async (event) => {
            handled.push(event.id);
          },
        },
        { consumer: 'alive-1' },
      );
      await waitFor(
        () => handled.length === 1,
        () => 'the entry handled by alive-1',
      );
      expect(logger.matching(/presumed dead/)).toEqual([
        {
          level: 'info',
          msg: 'claimed 1 entries from consumer "dead-1", idle past claimIdleMs (presumed dead)',
          obj: {
            stream: 'jobs',
            group: 'workers',
            consumer: 'alive-1',
            owner: 'dead-1',
            entryIds: [published.entryId],
          },
        },
      ]);
    } finally {
      await bus.close({ timeoutMs: 50 });
    }
  });
});
