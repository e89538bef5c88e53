/**
 * Per-file Redis server and per-test buses for the Redis-only tests: every
 * bus made by `newBus` is closed, and its namespace's keys deleted, after
 * the test.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Catalog } from '../../runtime/catalog.js';
import { RedisEventBus, type RedisEventBusOptions } from '../../runtime/index.js';
import { createTestCatalog } from '../contract/catalog.js';
import {
  type RedisServer,
  type StartRedisOptions,
  startRedis,
  uniqueNamespace,
} from './redis-harness.js';

/** Starts a server for this test file (beforeAll) and stops it (afterAll); call at the top of the file. */
export function useRedisServer(options?: StartRedisOptions): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedis(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => {
    if (server === undefined) throw new Error('no Redis server: startRedis() failed');
    return server;
  };
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh namespace and its test catalogue, optionally changed by `edit`. */
export function testCatalog(edit: (catalog: Catalog) => Catalog = (c) => c): Catalog {
  return edit(createTestCatalog(uniqueNamespace('r')));
}

/** A RedisEventBus on `server` for `catalog`, closed and cleaned up after the test. */
export function newBus(
  server: RedisServer,
  catalog: Catalog,
  options: Partial<RedisEventBusOptions> = {},
): RedisEventBus {
  const bus = new RedisEventBus({ redis: server.url, ...options, catalog });
  cleanups.push(async () => {
    await bus.close({ timeoutMs: 50 }).catch(() => undefined);
    const admin = server.client();
    const keys = await admin.keys(`{${catalog.namespace}:*`).catch(() => [] as string[]);
    if (keys.length > 0) await admin.del(...keys).catch(() => undefined);
  });
  return bus;
}

/** Registers extra cleanup for the current test. */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(async () => {
    await cleanup();
  });
}
