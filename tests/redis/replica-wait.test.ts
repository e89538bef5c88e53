/**
 * `waitForReplicas` on one master with one replica: a publish resolves once
 * the replica acknowledged its entry (Redis WAIT, after the write, on the
 * bus's replicated-publish connection) and says how many did; asking for
 * more replicas than answer rejects with UnderReplicatedError carrying what
 * was stored; a slow WAIT holds back no other command.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventBus, UnderReplicatedError } from '../../runtime/index.js';
import { jobs } from '../contract/helpers.js';
import { newBus, testCatalog } from '../support/redis-bus.js';
import { type RedisServer, startRedis } from '../support/redis-harness.js';
import { waitFor } from '../support/wait.js';

let master: RedisServer;
let replica: RedisServer;

beforeAll(async () => {
  [master, replica] = await Promise.all([startRedis(), startRedis()]);
  const client = replica.client();
  await client.replicaof('127.0.0.1', master.port);
  await waitFor(
    async () => /master_link_status:up/.test(await client.info('replication')),
    () => 'the replica in sync',
    { timeoutMs: 20_000 },
  );
});

afterAll(async () => {
  await replica?.stop();
  await master?.stop();
});

const ONE = { replicas: 1, timeoutMs: 5000 };

describe('waitForReplicas', () => {
  it('resolves once the replica has the entry, with the count, for every kind of publish', async () => {
    const catalog = testCatalog();
    const bus = newBus(master, catalog, { waitForReplicas: ONE });
    const copy = replica.client();
    const one = await bus.publish('job.requested', { jobId: 'a', key: 'k', seq: 0 });
    expect(one.replicas).toBe(1);
    // Acknowledged by the replica: it has the entry once the publish resolved.
    expect(await copy.xrange(catalog.streams.jobs!.key, one.entryId!, one.entryId!)).toHaveLength(
      1,
    );
    const many = await Promise.all(jobs(70).map((j) => bus.publish(j.type, j.data)));
    expect(new Set(many.map((p) => p.replicas))).toEqual(new Set([1]));
    const batch = await bus.publishBatch([
      ...jobs(3),
      { type: 'order.cancelled', data: { orderId: crypto.randomUUID(), reason: 'r' } },
    ]);
    expect(batch.map((p) => p.replicas)).toEqual([1, 1, 1, 1]);
    const last = batch[3]!;
    expect(
      await copy.xrange(catalog.streams.orders!.key, last.entryId!, last.entryId!),
    ).toHaveLength(1);
    // Realtime-only events have no entry to wait for.
    const alert = await bus.publish('system.alert', { message: 'hi', level: 'info' });
    expect(alert.replicas).toBeUndefined();
  });

  it('takes it per publish, and with idempotent publishing', async () => {
    const catalog = testCatalog();
    const bus = newBus(master, catalog, { idempotentPublish: true });
    const plain = await bus.publish('job.requested', { jobId: 'p', key: 'k', seq: 0 });
    expect(plain.replicas).toBeUndefined();
    const meta = { id: crypto.randomUUID(), waitForReplicas: ONE };
    const first = await bus.publish('job.requested', { jobId: 'w', key: 'k', seq: 1 }, meta);
    const again = await bus.publish('job.requested', { jobId: 'w', key: 'k', seq: 1 }, meta);
    expect([first.replicas, again.replicas]).toEqual([1, 1]);
    expect(again.entryId).toBe(first.entryId);
  });

  it('rejects with UnderReplicatedError when fewer replicas acknowledge, saying what was stored', async () => {
    const catalog = testCatalog();
    const bus = newBus(master, catalog);
    const want = { replicas: 2, timeoutMs: 200 };
    const error = await bus
      .publish('job.requested', { jobId: 'x', key: 'k', seq: 0 }, { waitForReplicas: want })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnderReplicatedError);
    const under = error as UnderReplicatedError;
    expect([under.replicas, under.acknowledged]).toEqual([2, 1]);
    expect(under.message).toMatch(/stored on the master, but only 1 of the 2 replicas/);
    const [stored] = under.published;
    expect(stored?.replicas).toBe(1);
    expect(await master.client().xlen(catalog.streams.jobs!.key)).toBe(1);
    expect(bus.stats().underReplicated).toBe(1);
    const batch = await bus
      .publishBatch(jobs(3).map((j) => ({ ...j, meta: { waitForReplicas: want } })))
      .catch((e: unknown) => e as UnderReplicatedError);
    expect(batch).toBeInstanceOf(UnderReplicatedError);
    expect((batch as UnderReplicatedError).published).toHaveLength(3);
  });

  it('a WAIT that waits holds back no other command of the bus', async () => {
    const catalog = testCatalog();
    const bus = newBus(master, catalog);
    const order: string[] = [];
    const slow = bus
      .publish(
        'job.requested',
        { jobId: 's', key: 'k', seq: 0 },
        { waitForReplicas: { replicas: 2, timeoutMs: 1500 } },
      )
      .catch(() => order.push('waited'));
    await bus.publish('job.requested', { jobId: 'f', key: 'k', seq: 1 });
    order.push('plain');
    await bus.inspect();
    order.push('inspect');
    await slow;
    expect(order).toEqual(['plain', 'inspect', 'waited']);
  });

  it('refuses a malformed waitForReplicas with a TypeError, as a bus option and per publish', async () => {
    const catalog = testCatalog();
    expect(
      () =>
        new RedisEventBus({
          catalog,
          redis: master.url,
          waitForReplicas: { replicas: 0, timeoutMs: 10 },
        }),
    ).toThrow(/waitForReplicas must be \{ replicas, timeoutMs \}/);
    const bus = newBus(master, catalog);
    await expect(
      bus.publish(
        'job.requested',
        { jobId: 'b', key: 'k', seq: 0 },
        {
          waitForReplicas: { replicas: 1, timeoutMs: 0 },
        },
      ),
    ).rejects.toThrow(TypeError);
  });
});
