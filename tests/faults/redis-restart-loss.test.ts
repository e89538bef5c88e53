/**
 * The negative control of "Durability is the server's setting": a
 * redis-server without persistence killed with SIGKILL and restarted comes
 * back empty. Publishes that resolved are gone, and the bus says so: a
 * DataLossError on bus.onError naming the stream, stats().dataLoss and
 * inspect().losses. With persistence (appendfsync always) the same restart
 * raises nothing (tests/faults/redis-restart.test.ts keeps every event).
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { DataLossError, type SchemabusError } from '../../runtime/errors.js';
import { type Job, jobs } from '../contract/helpers.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();

describe('redis-server without persistence killed with SIGKILL and restarted', () => {
  it('loses what it stored, and the bus raises a loss signal naming the stream', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const signals: SchemabusError[] = [];
    bus.onError((error) => signals.push(error));
    await bus.bootstrap();
    const handled: number[] = [];
    const sub = bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void handled.push(event.data.seq) },
      { blockMs: 200 },
    );
    await bus.publishBatch(jobs(5));
    await collect(handled, 5);
    await sub.close();
    // Stored after the consumer left: acknowledged publishes nobody has handled yet.
    await bus.publishBatch(jobs(3));
    await server().kill9();
    await server().restart();
    await waitFor(
      () => signals.length > 0,
      () => `a loss signal after the restart; stats ${JSON.stringify(bus.stats())}`,
      { timeoutMs: 20_000 },
    );
    expect(await server().client().xlen(catalog.streams.jobs!.key)).toBe(0);
    const [signal] = signals as DataLossError[];
    expect(signal).toBeInstanceOf(DataLossError);
    expect(signal!.streams).toMatchObject([{ stream: 'jobs', key: catalog.streams.jobs!.key }]);
    expect(signal!.message).toMatch(
      /without entries this bus had seen on stream "jobs".*persistence/,
    );
    expect(bus.stats().dataLoss).toBe(1);
    expect((await bus.inspect()).losses).toMatchObject([{ streams: [{ stream: 'jobs' }] }]);
    // A publish after the restart is not taken for data: it raises nothing more.
    await bus.publish('job.requested', jobs(1)[0]!.data);
    expect(bus.stats().dataLoss).toBe(1);
  });
});
