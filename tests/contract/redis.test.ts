/** The contract suite on RedisEventBus, against a redis-server of its own (tests/support/redis-harness.ts). */
import { afterAll, beforeAll } from 'vitest';
import { RedisEventBus } from '../../runtime/index.js';
import { type RedisServer, startRedis } from '../support/redis-harness.js';
import { createTestCatalog } from './catalog.js';
import { describeContract } from './suite.js';

let server: RedisServer | undefined;

beforeAll(async () => {
  server = await startRedis();
});

afterAll(async () => {
  await server?.stop();
});

describeContract('RedisEventBus', async (namespace) => {
  if (server === undefined) throw new Error('no Redis server: startRedis() failed');
  const catalog = createTestCatalog(namespace);
  const bus = new RedisEventBus({ catalog, redis: server.url, partitionLeaseMs: 1500 });
  const admin = server.client();
  return {
    bus,
    catalog,
    features: { approximateRetention: false },
    teardown: async () => {
      await bus.close({ timeoutMs: 50 });
      const keys = await admin.keys(`{${namespace}:*`);
      if (keys.length > 0) await admin.del(...keys);
    },
  };
});
