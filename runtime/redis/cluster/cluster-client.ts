/**
 * The command connection of a bus on a Redis Cluster: a {@link BusCluster}
 * made from a `redis+cluster://` URL (with ioredis options), or a ready
 * ioredis `Cluster` given by the user (used as it is and never quit; one
 * with auto-pipelining is duplicated without it, as a standalone client
 * is).
 */
import type { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import { redactUrl } from '../../internal/logger.js';
import {
  COMMAND_CONNECTION_DEFAULTS,
  type CommandClient,
  refuseKeyPrefix,
} from '../connection-defaults.js';
import { BusCluster, CLUSTER_DEFAULTS } from './bus-cluster.js';
import { clusterOfUrl, type NodeAddress } from './cluster-url.js';

/** Options of a cluster given by URL. */
export type ClusterUrlOptions = RedisOptions & {
  readonly url: string;
  readonly cluster?: ClusterOptions | undefined;
};

/** The seeds of a Cluster made by the bus or given to it. */
const seedsOf = new WeakMap<Cluster, readonly NodeAddress[]>();

/** The seed nodes of `cluster` (what it was made with), for connections that need a first address. */
export function clusterSeeds(cluster: Cluster): readonly NodeAddress[] {
  const known = seedsOf.get(cluster);
  if (known) return known;
  // A Cluster made by the user: its startup nodes are not public; ask what it knows.
  const given = (cluster as unknown as { startupNodes?: unknown[] }).startupNodes ?? [];
  const seeds = given
    .map((node) =>
      typeof node === 'object' && node !== null
        ? (node as { host?: string; port?: number })
        : { port: Number(node) },
    )
    .map((n) => ({ host: n.host ?? '127.0.0.1', port: Number(n.port ?? 6379) }));
  return seeds.length > 0 ? seeds : [{ host: '127.0.0.1', port: 6379 }];
}

/** The command connection for a cluster URL with options, or for a ready Cluster. */
export function clusterCommandClient(
  given: ClusterUrlOptions | Cluster,
  waitMs: number,
): CommandClient {
  if (!('url' in given)) return givenCluster(given, waitMs);
  // enableOfflineQueue is not the cluster's: a node connection queues while it connects.
  const { url, cluster, retryStrategy, enableOfflineQueue: _, lazyConnect, ...nodeOptions } = given;
  const { nodes, nodeOptions: fromUrl } = clusterOfUrl(url);
  const label = redactUrl(url);
  refuseKeyPrefix(nodeOptions.keyPrefix ?? cluster?.keyPrefix ?? cluster?.redisOptions?.keyPrefix);
  const client = new BusCluster(nodes, {
    ...CLUSTER_DEFAULTS,
    ...(retryStrategy !== undefined && { clusterRetryStrategy: retryStrategy }),
    ...cluster,
    redisOptions: {
      ...COMMAND_CONNECTION_DEFAULTS,
      ...nodeOptions,
      ...fromUrl,
      // TLS options given beside a rediss+cluster:// URL (a CA, a client certificate) stay.
      ...(nodeOptions.tls !== undefined ? { tls: nodeOptions.tls } : {}),
      ...cluster?.redisOptions,
      enableAutoPipelining: false,
    },
    enableAutoPipelining: false,
    lazyConnect: true,
    waitForConnectionMs: waitMs,
    label,
  });
  seedsOf.set(client, nodes);
  if (!lazyConnect) client.connect().catch(() => {});
  return { client, owned: true, label };
}

/** A ready Cluster: used as it is, or duplicated without auto-pipelining. */
function givenCluster(given: Cluster, waitMs: number): CommandClient {
  refuseKeyPrefix(given.options.keyPrefix ?? given.options.redisOptions?.keyPrefix);
  const seeds = clusterSeeds(given);
  const label = `redis+cluster://${seeds.map((s) => `${s.host}:${s.port}`).join(',')}`;
  if (given.options.enableAutoPipelining !== true) return { client: given, owned: false, label };
  const client = new BusCluster([...seeds], {
    ...given.options,
    enableAutoPipelining: false,
    waitForConnectionMs: waitMs,
    label,
  });
  seedsOf.set(client, seeds);
  client.connect().catch(() => {});
  return { client, owned: true, label };
}
