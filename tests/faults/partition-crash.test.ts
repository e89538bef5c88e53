/**
 * Per-key order across a group on a partitioned stream, through a crash:
 * three consumer processes share the partitions of `ledger` (leases), one is
 * killed with SIGKILL while events flow and a handler of it runs; its
 * partitions go to the survivors once its lease expires, and they handle
 * its pending entries first. Every published event is handled, and no event
 * of a key starts before the previous event of that key was handled.
 */
import { describe, expect, it } from 'vitest';
import { partitionKeys } from '../../runtime/internal/partitions.js';
import { startFixture } from '../support/child-process.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';
import { runPartitionCrash } from './support/partition-crash.js';

const server = useRedisServer();

describe('a partitioned stream with 3 consumer processes, one killed with SIGKILL', () => {
  it('keeps every key in order across the group and loses nothing', {
    timeout: 120_000,
  }, async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    await bus.bootstrap();
    const admin = server().client();
    const result = await runPartitionCrash({
      bus,
      catalog,
      url: server().url,
      leaseHolders: async () =>
        Promise.all(
          partitionKeys(catalog.streams.ledger!).map((p) => admin.get(`${p.key}:lease:balances`)),
        ),
      start: (env) => {
        const f = startFixture(new URL('./fixtures/partition-consumer.ts', import.meta.url), env);
        onCleanup(() => f.kill9());
        return f;
      },
      waitFor,
    });
    console.log(`partitions, standalone: ${result.summary}`);
    expect(result.counts.outOfOrder).toEqual([]);
    expect(result.counts.missing).toBe(0);
  });
});
