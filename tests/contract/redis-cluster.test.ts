/**
 * The contract suite on RedisEventBus over a Redis Cluster (3 masters, 3
 * replicas) that tests/support/redis-cluster-harness.ts starts for this file,
 * the bus given the cluster's `redis+cluster://` URL.
 */
import { afterAll, beforeAll } from 'vitest';
import { RedisEventBus } from '../../runtime/index.js';
import { type RedisClusterServer, startRedisCluster } from '../support/redis-cluster-harness.js';
import { createTestCatalog } from './catalog.js';
import { describeContract } from './suite.js';

let cluster: RedisClusterServer | undefined;

beforeAll(async () => {
  cluster = await startRedisCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

describeContract('RedisEventBus on a Redis Cluster', async (namespace) => {
  if (cluster === undefined) throw new Error('no Redis Cluster: startRedisCluster() failed');
  const catalog = createTestCatalog(namespace);
  const bus = new RedisEventBus({ catalog, redis: cluster.url, partitionLeaseMs: 1500 });
  const server = cluster;
  return {
    bus,
    catalog,
    features: { approximateRetention: false },
    teardown: async () => {
      await bus.close({ timeoutMs: 50 });
      await server.deleteKeys(`{${namespace}:*`);
    },
  };
});
