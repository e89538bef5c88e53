/**
 * Network faults through a TCP proxy (tests/support/tcp-proxy.ts):
 * - a reader connection that goes silent without closing: the blocking read
 *   would hang forever; the watchdog replaces the connection;
 * - a read or publish whose reply is lost: ioredis re-sends it after the
 *   reconnect, so the consumer re-reads its own pending list (entries the
 *   lost read took), and an XADD may be stored twice unless publishes are
 *   idempotent;
 * - a command connection that went silent: the stall watch resets it while
 *   Redis answers on another connection, and the publishes waiting on it go
 *   through after the reconnect.
 */

import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Envelope, Published } from '../../runtime/bus.js';
import { PublishOutcomeUnknownError } from '../../runtime/errors.js';
import type { RedisEventBus } from '../../runtime/index.js';
import type { BusContext } from '../../runtime/redis/bus-context.js';
import { type Job, jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { withGroups } from '../support/catalog-overrides.js';
import { eventIdOf } from '../support/entries.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

async function proxy(): Promise<TcpProxy> {
  const p = await TcpProxy.start(server().port);
  onCleanup(() => p.close());
  return p;
}

const READER = /^schemabus:workers:/;
const COMMAND = /^schemabus$/;

/**
 * Publishes a warm-up event, then one whose XADD runs on the server while the
 * proxy drops its reply, and cuts the command connection once the entry is
 * stored: the publish's outcome is what ioredis makes of the lost reply.
 */
async function publishWithLostReply(
  bus: RedisEventBus,
  p: TcpProxy,
  admin: Redis,
  key: string,
): Promise<Published> {
  await bus.publish('job.requested', { jobId: 'warm-up', key: 'k', seq: 0 });
  const [command] = p.named(COMMAND);
  command!.dropReplies();
  const publishing = bus.publish('job.requested', { jobId: 'j', key: 'k', seq: 1 });
  await waitFor(
    async () => (await admin.xlen(key)) === 2,
    () => 'the XADD executed',
  );
  command!.destroy();
  return publishing;
}

describe('network faults', () => {
  it('a blocking read on a connection that went silent is recovered by the watchdog', async () => {
    const p = await proxy();
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { redis: p.url, logger, watchdogGraceMs: 300 });
    await bus.bootstrap();
    const handled: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void handled.push(event.data.seq) },
      { consumer: 'w', blockMs: 200 },
    );
    await bus.publishBatch(jobs(1));
    await waitFor(() => handled.length === 1);
    const [reader] = await waitFor(() => {
      const found = p.named(READER);
      return found.length === 1 ? found : undefined;
    });
    reader!.freeze(); // half-open: no reply, no close, no error
    const more = jobs(3).map((j, i) => ({ ...j, data: { ...(j.data as Job), seq: i + 1 } }));
    await bus.publishBatch(more);
    await waitFor(
      () => handled.length === 4,
      () => `4 handled, got ${JSON.stringify(handled)}`,
    );
    // The entries the frozen read took may come back through the claim scan first
    // (pending, idle past claimIdleMs); the watchdog replaces the reader all the same.
    await waitFor(
      () => bus.readerRecoveries >= 1,
      () => 'a watchdog recovery of the reader',
    );
    expect(logger.matching(/blocking read did not return in time/).length).toBeGreaterThanOrEqual(
      1,
    );
    expect(handled).toEqual([0, 1, 2, 3]);
  });

  it('entries a read took whose reply was lost are re-read from the own pending list after the reconnect', async () => {
    const p = await proxy();
    // claimIdleMs far away: only the re-read after `ready` can bring the entry back quickly.
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 600_000 }));
    const bus = newBus(server(), catalog, { redis: p.url });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    const handled: Array<{ seq: number; attempt: number }> = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>, ctx) =>
          void handled.push({ seq: event.data.seq, attempt: ctx.attempt }),
      },
      { consumer: 'w', blockMs: 10_000 },
    );
    // Wait until the reader is blocked in XREADGROUP, then drop its replies.
    const [reader] = await waitFor(async () => {
      const found = p.named(READER);
      const blocked = ((await admin.client('LIST')) as string).includes('cmd=xreadgroup');
      return found.length === 1 && blocked ? found : undefined;
    });
    reader!.dropReplies();
    await bus.publishBatch(jobs(1));
    // Redis served the blocked read: the entry is pending for w, but w never saw the reply.
    await waitFor(async () => (await admin.xpending(key, 'workers'))[0] === 1);
    expect(handled).toEqual([]);
    reader!.destroy();
    await waitFor(
      () => handled.length === 1,
      () => 'the entry handled after the reconnect',
    );
    // Redis counted one delivery when it served the lost reply; no handler saw it: this is attempt 1
    // (the re-read claims with JUSTID and does not count a second delivery).
    expect(handled[0]).toEqual({ seq: 0, attempt: 1 });
    await waitFor(async () => (await admin.xpending(key, 'workers'))[0] === 0);
  });

  it('an XADD whose reply was lost is re-sent after the reconnect: two entries, one with idempotentPublish', async () => {
    for (const idempotentPublish of [false, true]) {
      const p = await proxy();
      const catalog = testCatalog();
      const bus = newBus(server(), catalog, { redis: p.url, idempotentPublish });
      const admin = server().client();
      const key = catalog.streams.jobs!.key;
      const published = await publishWithLostReply(bus, p, admin, key);
      const ids = ((await admin.xrange(key, '-', '+')) as [string, string[]][])
        .map(([, f]) => eventIdOf(f))
        .filter((id) => id === published.id);
      expect(ids).toHaveLength(idempotentPublish ? 1 : 2);
    }
  });

  it('with no retries allowed, a publish whose reply was lost fails as "outcome unknown" although it was stored', async () => {
    const p = await proxy();
    const catalog = testCatalog();
    const bus = newBus(server(), catalog, {
      redis: { host: '127.0.0.1', port: p.port, maxRetriesPerRequest: 0, password: undefined },
    });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    const error = await publishWithLostReply(bus, p, admin, key).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PublishOutcomeUnknownError);
    expect((error as Error).message).toMatch(/may or may not have been stored/);
    expect(error).not.toHaveProperty('command');
    expect(await admin.xlen(key)).toBe(2);
  });

  it('a command connection that went silent is reset by the stall watch; the publishes waiting on it go through', async () => {
    const p = await proxy();
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { redis: p.url, logger, stallTimeoutMs: 300 });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    await bus.publish('job.requested', { jobId: 'warm-up', key: 'k', seq: 0 });
    const [command] = p.named(COMMAND);
    command!.freeze(); // half-open: no request reaches Redis, no reply, no close, no error
    const settled: string[] = [];
    const publishing = [1, 2, 3].map((seq) =>
      bus.publish('job.requested', { jobId: `j-${seq}`, key: 'k', seq }).then(
        () => void settled.push(`ok ${seq}`),
        (error: Error) => void settled.push(`${error.name} ${seq}`),
      ),
    );
    await waitFor(
      () => settled.length === 3,
      () => `3 publishes settled, got ${JSON.stringify(settled)}`,
    );
    await Promise.all(publishing);
    expect(settled.sort()).toEqual(['ok 1', 'ok 2', 'ok 3']);
    // The frozen connection never delivered them: each is stored once, by the re-send.
    expect(await admin.xlen(key)).toBe(4);
    expect(logger.matching(/the command connection got no reply/).length).toBe(1);
    expect(command!.closed).toBe(true);
  });

  it('the stall watch leaves the connection alone while writes are paused (CLIENT PAUSE WRITE, as FAILOVER does)', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger, stallTimeoutMs: 150 });
    await bus.bootstrap();
    // Writes and scripts of every client wait 1 s from the OK on; PING would still be answered.
    await server().client().client('PAUSE', 1000, 'WRITE');
    const published = await bus.publish('job.requested', { jobId: 'j', key: 'k', seq: 1 });
    expect(published.entryId).toMatch(/^\d+-\d+$/);
    expect(logger.matching(/the command connection got no reply/)).toEqual([]);
  });

  it('the stall watch leaves the connection alone while a long script of its own runs (Redis answers BUSY)', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger, stallTimeoutMs: 150 });
    await bus.bootstrap();
    const admin = server().client();
    await admin.config('SET', 'busy-reply-threshold', '100');
    onCleanup(() => admin.config('SET', 'busy-reply-threshold', '5000').then(() => undefined));
    // A script of 1.2 s on the bus's own command connection (as a long trim or replay would be):
    // nothing comes back on it meanwhile, and past busy-reply-threshold others get BUSY.
    const command = (bus as unknown as { ctx: BusContext }).ctx.connections.command as Redis;
    const runs = `{${catalog.namespace}}:runs`;
    const looping = command.eval(
      "redis.call('INCR', KEYS[1]); local t = redis.call('TIME'); local s = t[1] * 1000000 + t[2]; repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - s > 1200000; return 1",
      1,
      runs,
    );
    expect(await looping).toBe(1);
    // Run once: the connection was not reset (a reset would have sent the script again).
    expect(await admin.get(runs)).toBe('1');
    expect(logger.matching(/the command connection got no reply/)).toEqual([]);
    await admin.del(runs);
  });
  it('on a slow uplink the stall watch waits longer after each reset no reply followed, until a big command gets through', async () => {
    const p = await proxy();
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { redis: p.url, logger, stallTimeoutMs: 300 });
    await bus.bootstrap();
    await bus.publish('job.requested', { jobId: 'warm-up', key: 'k', seq: 0 });
    // 400 KB at 200 KB/s on every connection: two seconds of upload, which the kernel's buffers
    // hide from the process (no progress it can see), far past stallTimeoutMs.
    p.throttleRequests(200_000);
    const published = await bus.publish('job.requested', {
      jobId: 'x'.repeat(400_000),
      key: 'k',
      seq: 1,
    });
    expect(published.entryId).toMatch(/^\d+-\d+$/);
    const resets = logger.matching(/the command connection got no reply/).length;
    // 300, 600, 1200 ms, then 2400 ms: the fourth wait covers the upload (a loaded machine may
    // need one more).
    expect(resets).toBeGreaterThanOrEqual(1);
    expect(resets).toBeLessThanOrEqual(5);
    // An upload cut short is never run: stored once.
    expect(await server().client().xlen(catalog.streams.jobs!.key)).toBe(2);
  });
  it('a command connection cut right after its TCP connect (handshake unanswered) is reset too', async () => {
    const p = await proxy();
    p.freezeNext();
    const catalog = testCatalog();
    const logger = captureLogger();
    const bus = newBus(server(), catalog, {
      redis: p.url,
      logger,
      stallTimeoutMs: 300,
      connectTimeoutMs: 10_000,
    });
    const published = await bus.publish('job.requested', { jobId: 'j', key: 'k', seq: 1 });
    expect(published.entryId).toMatch(/^\d+-\d+$/);
    expect(logger.matching(/the command connection got no reply/).length).toBe(1);
    expect(p.connections[0]!.closed).toBe(true);
  });
  it('a tail aborted while its reader reconnects (the handshake unanswered) ends at once', async () => {
    const p = await proxy();
    const bus = newBus(server(), testCatalog(), { redis: p.url });
    const controller = new AbortController();
    let ended = false;
    const following = (async () => {
      for await (const _ of bus.tail('jobs', { blockMs: 60_000, signal: controller.signal })) {
        // nothing is published
      }
      ended = true;
    })();
    const [reader] = await waitFor(() => {
      const found = p.named(/:tail:jobs$/);
      return found.length === 1 ? found : undefined;
    });
    // The reconnect's handshake gets no answer: ioredis holds the blocked XREAD to send again.
    p.freezeNext();
    reader!.destroy();
    await waitFor(
      () => p.connections.filter((c) => /:tail:jobs$/.test(c.name ?? '')).length === 2,
      () => 'the reader to reconnect (its handshake frozen)',
    );
    controller.abort();
    await waitFor(
      () => ended,
      () => 'the tail to end',
    );
    await following;
  });
});
