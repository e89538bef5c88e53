/**
 * A partitioned stream on a Redis Cluster (3 masters, 3 replicas): its
 * partitions spread over at least 2 masters (asserted from CLUSTER KEYSLOT
 * and the slot map), leases and membership live each in one slot, and per-key
 * order holds across 3 consumer processes while one is killed with SIGKILL
 * (the scenario of support/partition-crash.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../runtime/catalog.js';
import { RedisEventBus } from '../../runtime/index.js';
import { partitionKeys } from '../../runtime/internal/partitions.js';
import { startFixture } from '../support/child-process.js';
import { onCleanup, testCatalog } from '../support/redis-bus.js';
import {
  type RedisClusterServer,
  redirections,
  startRedisCluster,
} from '../support/redis-cluster-harness.js';
import { waitFor } from '../support/wait.js';
import { runPartitionCrash } from './support/partition-crash.js';

let cluster: RedisClusterServer;

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

/** The masters (by address) of the partitions of `ledger` in `catalog`. */
async function partitionMasters(catalog: Catalog): Promise<string[]> {
  return Promise.all(
    partitionKeys(catalog.streams.ledger!).map(
      async (p) => (await cluster.masterOf(p.key)).address,
    ),
  );
}

describe('a partitioned stream on a Redis Cluster', () => {
  it('spreads over 2+ masters and keeps each key in order while one of 3 consumer processes is killed', {
    timeout: 180_000,
  }, async () => {
    // A namespace whose partitions land on at least 2 masters (most do: all 4 on one has p = 1/27).
    let catalog = testCatalog();
    while (new Set(await partitionMasters(catalog)).size < 2) catalog = testCatalog();
    const masters = await partitionMasters(catalog);
    expect(new Set(masters).size).toBeGreaterThanOrEqual(2);
    const bus = new RedisEventBus({ redis: cluster.url, catalog });
    onCleanup(async () => {
      await bus.close({ timeoutMs: 50 });
      await cluster.deleteKeys(`{${catalog.namespace}:*`);
    });
    await bus.bootstrap();
    const redirectedBefore = await redirections(cluster);
    const leaseKeys = partitionKeys(catalog.streams.ledger!).map((p) => `${p.key}:lease:balances`);
    const result = await runPartitionCrash({
      bus,
      catalog,
      url: cluster.url,
      leaseHolders: () => Promise.all(leaseKeys.map((key) => cluster.admin.get(key))),
      start: (env) => {
        const f = startFixture(new URL('./fixtures/partition-consumer.ts', import.meta.url), env);
        onCleanup(() => f.kill9());
        return f;
      },
      waitFor,
    });
    // Each partition's stream and lease sit on the same master (one hash tag).
    for (const [i, p] of partitionKeys(catalog.streams.ledger!).entries()) {
      expect((await cluster.masterOf(leaseKeys[i]!)).address).toBe(masters[i]);
      expect(await cluster.admin.xlen(p.key)).toBeGreaterThan(0);
    }
    // Leases, membership and takeovers went straight to their slot's master.
    expect(await redirections(cluster)).toEqual(redirectedBefore);
    console.log(
      `partitions, cluster (partitions on ${new Set(masters).size} masters: ${masters.join(', ')}): ${result.summary}`,
    );
    expect(result.counts.outOfOrder).toEqual([]);
    expect(result.counts.missing).toBe(0);
  });
});
