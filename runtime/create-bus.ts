/** `createBus`: the Redis bus when there is a Redis to talk to, the in-memory bus otherwise. */
import type { BusMetricsOptions, EventBus, Logger } from './bus.js';
import type { Catalog } from './catalog.js';
import type { EntryFields } from './internal/entry-fields.js';

import { InMemoryEventBus, type InMemoryEventBusOptions } from './memory/in-memory-event-bus.js';
import { RedisEventBus } from './redis/redis-event-bus.js';
import type { RedisEventBusOptions } from './redis/redis-event-bus-options.js';

/** Options of {@link createBus}. */
export interface CreateBusOptions extends BusMetricsOptions {
  readonly catalog: Catalog;
  /** Redis URL (`redis://` or `rediss://`). @default process.env.REDIS_URL; none means the in-memory bus */
  readonly url?: string | undefined;
  /** @default a logger that drops everything */
  readonly logger?: Logger | undefined;
  /** Largest encoded event, in UTF-8 bytes. @default MAX_ENTRY_BYTES (1 MiB) */
  readonly maxEntryBytes?: number | undefined;
  /**
   * Further options of the Redis bus (a `redis` client or ioredis options given
   * here select the Redis bus even without a URL). @default {}
   */
  readonly redisOptions?: Partial<Omit<RedisEventBusOptions, 'catalog'>> | undefined;
  /** Further options of the in-memory bus. @default {} */
  readonly memoryOptions?: Partial<Omit<InMemoryEventBusOptions, 'catalog'>> | undefined;
}

/** The bus {@link createBus} returns: the EventBus contract, plus `appendRaw`, which both buses offer. */
export interface CreatedBus extends EventBus {
  /**
   * Stores `fields` as an entry of `stream` exactly as given, bypassing
   * validation and encoding (tests, migrations, tools); returns the entry id.
   */
  appendRaw(stream: string, fields: EntryFields): Promise<string>;
}

/**
 * A `RedisEventBus` when `url`, `REDIS_URL` or `redisOptions.redis` is given,
 * else an `InMemoryEventBus` (nothing survives the process: for tests, demos
 * and single-process use).
 */
export function createBus(options: CreateBusOptions): CreatedBus {
  const { catalog, logger, registry, metricsIntervalMs, maxEntryBytes } = options;
  const url = options.url ?? (process.env.REDIS_URL || undefined);
  const redis = options.redisOptions?.redis ?? url;
  if (redis !== undefined) {
    return new RedisEventBus({
      ...options.redisOptions,
      catalog,
      redis,
      ...(logger && { logger }),
      ...(registry && { registry }),
      ...(metricsIntervalMs !== undefined && { metricsIntervalMs }),
      ...(maxEntryBytes !== undefined && { maxEntryBytes }),
    });
  }
  return new InMemoryEventBus({
    ...options.memoryOptions,
    catalog,
    ...(logger && { logger }),
    ...(registry && { registry }),
    ...(metricsIntervalMs !== undefined && { metricsIntervalMs }),
    ...(maxEntryBytes !== undefined && { maxEntryBytes }),
  });
}
