/**
 * Where a RedisEventBus connects, and the options it sets on the
 * connections it makes: the command connection (publishes, acks, scripts,
 * inspection), blocking readers and the realtime subscriber. A Redis
 * Cluster (a `redis+cluster://` URL or a ready `Cluster`) is made in
 * cluster/cluster-client.ts.
 */
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../internal/logger.js';
import { BusClient } from './bus-client.js';
import { clusterCommandClient } from './cluster/cluster-client.js';
import { invalidUrl, isClusterUrl } from './cluster/cluster-url.js';
import {
  COMMAND_CONNECTION_DEFAULTS,
  type CommandClient,
  refuseKeyPrefix,
} from './connection-defaults.js';

/**
 * ioredis options, optionally with a URL: host, port, credentials and db
 * from the URL win, the options set the rest, and `rediss://` turns TLS on
 * (`{ url, connectTimeout: 3000, retryStrategy: () => null }` fails fast).
 * With a `redis+cluster://` URL the options are those of every node
 * connection, except `retryStrategy`, which becomes the cluster's
 * `clusterRetryStrategy` (`() => null` fails fast), and `enableOfflineQueue`,
 * which is ignored (a node connection queues while it connects); `cluster`
 * sets further ioredis Cluster options.
 */
export type RedisConnectionOptions = RedisOptions & {
  readonly url?: string | undefined;
  /** ioredis Cluster options, with a `redis+cluster://` URL (`natMap`, `maxRedirections`, `retryDelayOnFailover`...). */
  readonly cluster?: ClusterOptions | undefined;
};

/**
 * Where the bus connects: a URL (`redis://`, `rediss://`, `redis+cluster://`,
 * `rediss+cluster://`), ioredis options (with or without a URL), or a ready
 * client or Cluster (never quit by the bus).
 */
export type RedisConnectionOption = string | RedisConnectionOptions | Redis | Cluster;

/** Makes (or adopts) the command connection for `option`; `waitMs`: see BusClient. */
export function commandClient(
  option: RedisConnectionOption | undefined,
  waitMs: number,
): CommandClient {
  const given = option ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (given instanceof Cluster) return clusterCommandClient(given, waitMs);
  if (given instanceof Redis) {
    refuseKeyPrefix(given.options.keyPrefix);
    // Auto-pipelining delays a command to the next tick while the bus's batched
    // appends go out at once: publishes could overtake each other. The bus then
    // uses its own duplicate without it (and given options lose it, below).
    const ownCopy = given.options.enableAutoPipelining === true;
    const label = describeOptions(given.options);
    const client = ownCopy
      ? new BusClient({
          ...given.options,
          enableAutoPipelining: false,
          waitForConnectionMs: waitMs,
          label,
        })
      : given;
    return { client, owned: ownCopy, label };
  }
  const { url, cluster, ...options } = typeof given === 'string' ? { url: given } : given;
  if (url !== undefined && isClusterUrl(url)) {
    return clusterCommandClient({ ...options, url, cluster }, waitMs);
  }
  const fromUrl = url === undefined ? {} : optionsOfUrl(url);
  const label = url === undefined ? describeOptions(options) : redactUrl(url);
  const client = new BusClient({
    ...COMMAND_CONNECTION_DEFAULTS,
    ...options,
    ...fromUrl,
    // A URL's rediss:// turns TLS on; TLS options given beside it (a CA, a client certificate) stay.
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
    enableAutoPipelining: false,
    lazyConnect: true,
    waitForConnectionMs: waitMs,
    label,
  });
  refuseKeyPrefix(client.options.keyPrefix);
  if (!options.lazyConnect) client.connect().catch(() => {});
  return { client, owned: true, label };
}

/** `redis://host:port/db` of connection options, without credentials. */
function describeOptions(o: RedisOptions): string {
  if (o.path) return `redis+unix://${o.path}`;
  return `redis://${o.host ?? '127.0.0.1'}:${o.port ?? 6379}${o.db ? `/${o.db}` : ''}`;
}

/**
 * The connection options a `redis://` or `rediss://` URL sets, checked:
 * scheme, host, port and database index (`/N`). Throws a TypeError saying
 * what is wrong and what a right URL looks like.
 */
export function optionsOfUrl(url: string): RedisOptions {
  const refuse = (what: string) => invalidUrl(url, what);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse('it is not a URL');
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw refuse(`the scheme is ${scheme}://, not redis://, rediss:// or redis+cluster://`);
  }
  if (parsed.hostname === '') throw refuse('it names no host');
  if (parsed.port === '0') throw refuse('port 0 is not a port Redis listens on');
  const path = parsed.pathname;
  if (path !== '' && path !== '/' && !/^\/\d{1,9}$/.test(path)) {
    throw refuse(`the path ${JSON.stringify(path)} is not a database index (/0, /1, ...)`);
  }
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    db: path.length > 1 ? Number(path.slice(1)) : 0,
  };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  if (scheme === 'rediss') options.tls = {};
  for (const [key, value] of parsed.searchParams) {
    if (key === 'family') options.family = Number(value);
    // Refused with its own reason by the caller (refuseKeyPrefix).
    else if (key === 'keyPrefix') options.keyPrefix = value;
    else {
      throw refuse(
        `the query parameter ${JSON.stringify(key)} is not supported (give ioredis options instead)`,
      );
    }
  }
  return options;
}
