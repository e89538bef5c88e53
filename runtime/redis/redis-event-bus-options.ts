/** The options of a RedisEventBus (runtime/redis/redis-event-bus.ts). */
import type { BusMetricsOptions, Logger, WaitForReplicas } from '../bus.js';
import type { Catalog } from '../catalog.js';
import type { RedisConnectionOption } from './connection-options.js';
import type { IdempotentPublishOptions } from './publisher.js';
import type { RetentionOptions } from './retention-keeper.js';
import type { ConsumerTuning } from './stream-consumer.js';

/** Options of {@link RedisEventBus}. */
export interface RedisEventBusOptions extends ConsumerTuning, BusMetricsOptions {
  readonly catalog: Catalog;
  /**
   * A URL, ioredis options, or a ready client. A client given here is used
   * for commands and duplicated for blocking readers and pub/sub; the bus
   * never quits it.
   * @default process.env.REDIS_URL, else redis://127.0.0.1:6379
   */
  readonly redis?: RedisConnectionOption | undefined;
  /** @default a logger that drops everything */
  readonly logger?: Logger | undefined;
  /** Largest entry published or decoded, in UTF-8 bytes. @default MAX_ENTRY_BYTES (1 MiB) */
  readonly maxEntryBytes?: number | undefined;
  /**
   * Store each event id at most once per stream (a Lua script with a marker
   * key per id), so retrying a publish whose outcome was unknown, or a
   * command ioredis re-sent after a reconnect, adds no duplicate. Costs one
   * key per event for `ttlMs`. @default false
   */
  readonly idempotentPublish?: boolean | IdempotentPublishOptions | undefined;
  /**
   * Publishes that may wait for the connection while Redis is unreachable;
   * beyond that a publish fails at once with a `ConnectionError` (0: fail
   * fast). ioredis's own offline queue is unbounded. @default 1000
   */
  readonly maxOfflineQueue?: number | undefined;
  /**
   * How long a publish, bootstrap, DLQ, inspect or realtime command waits for
   * the connection while Redis is unreachable, refusing or rejecting the
   * credentials; then it fails with a `ConnectionError` whose `code` names the
   * cause (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, WRONGPASS, NOAUTH) and nothing
   * is sent. Blocking reads of subscriptions wait for the reconnect instead
   * (their failures reach `Subscription.onError`). @default 2000
   */
  readonly connectTimeoutMs?: number | undefined;
  /**
   * A command connection the bus made (not a Cluster's) that has commands
   * unanswered and has received nothing for this long while Redis answers a
   * PING on another connection is half-open (a firewall or NAT dropped it
   * without a reset): the bus resets it, and its unanswered commands are
   * sent again after the reconnect. `0` turns the watch off. @default 10000
   */
  readonly stallTimeoutMs?: number | undefined;
  /** How retention trimming runs. */
  readonly retention?: RetentionOptions | undefined;
  /**
   * Every stream publish resolves only once this many replicas acknowledged
   * its entry (Redis `WAIT`, on a connection of its own), or rejects with
   * `UnderReplicatedError` when fewer did within the timeout; a publish's
   * `meta.waitForReplicas` overrides it. Costs a round trip and the
   * replicas' lag per publish (batched publishes share one WAIT).
   * @default none: a publish resolves once the master stored it
   */
  readonly waitForReplicas?: WaitForReplicas | undefined;
}
