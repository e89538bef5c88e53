/**
 * Where a RedisEventBus connects, and the options it sets on the
 * connections it makes: the command connection (publishes, acks, scripts,
 * inspection), blocking readers and the realtime subscriber.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { redactUrl } from '../internal/logger.js';

/**
 * ioredis options, optionally with a `redis://` or `rediss://` URL: host,
 * port, credentials and db from the URL win, the options set the rest, and
 * `rediss://` turns TLS on (`{ url, connectTimeout: 3000, retryStrategy: () =>
 * null }` fails fast).
 */
export type RedisConnectionOptions = RedisOptions & { readonly url?: string | undefined };

/** Where the bus connects: a URL, ioredis options (with or without a URL), or a ready client (never quit by the bus). */
export type RedisConnectionOption = string | RedisConnectionOptions | Redis;

/** Default of the command connection's `connectionName`. */
export const CONNECTION_NAME = 'schemabus';

/**
 * Options the bus sets on connections it creates; given options may override
 * them, except auto-pipelining, which stays off: besides its GC cost (below),
 * it delays commands to the next tick while batched appends go out at once,
 * so one publish could overtake another.
 */
export const COMMAND_CONNECTION_DEFAULTS: RedisOptions = {
  // Off: with the bus's scripts defined on this client, every ioredis Pipeline (auto-pipelining
  // makes one per tick) copies each script onto itself; those objects got promoted by the GC,
  // and the 3-7 ms scavenges were the 1k/s p99. Commands issued in one tick still go out back
  // to back; publishes are batched per tick by AppendBatcher, acks go with reads.
  enableAutoPipelining: false,
  connectionName: CONNECTION_NAME,
};

/** Options forced on blocking reader connections. */
export const READER_CONNECTION_OVERRIDES: RedisOptions = {
  maxRetriesPerRequest: null,
  commandTimeout: undefined,
  blockingTimeout: undefined,
  enableAutoPipelining: false,
  enableOfflineQueue: true,
  lazyConnect: false,
};

/** A connection name Redis accepts (`CLIENT SETNAME` refuses spaces and newlines). */
export function safeConnectionName(name: string): string {
  return name.replace(/[^\w:.@/-]/g, '_').slice(0, 200);
}

/** `redis://host:port/db` of a client, without credentials. */
function describeClient(client: Redis): string {
  const o = client.options;
  if (o.path) return `redis+unix://${o.path}`;
  return `redis://${o.host ?? '127.0.0.1'}:${o.port ?? 6379}${o.db ? `/${o.db}` : ''}`;
}

/** The command connection of a bus: the client, whether the bus made it, and its redacted address. */
export interface CommandClient {
  readonly client: Redis;
  /** The bus created it (and quits it on close); a client given by the user is never quit. */
  readonly owned: boolean;
  readonly label: string;
}

/** Makes (or adopts) the command connection for `option`. */
export function commandClient(option: RedisConnectionOption | undefined): CommandClient {
  const given = option ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (given instanceof Redis) {
    refuseKeyPrefix(given.options.keyPrefix);
    // Auto-pipelining delays a command to the next tick while the bus's batched
    // appends go out at once: publishes could overtake each other. The bus then
    // uses its own duplicate without it (and given options lose it, below).
    const ownCopy = given.options.enableAutoPipelining === true;
    const client = ownCopy ? given.duplicate({ enableAutoPipelining: false }) : given;
    return { client, owned: ownCopy, label: describeClient(client) };
  }
  const { url, ...options } = typeof given === 'string' ? { url: given } : given;
  const settings: RedisOptions = {
    ...COMMAND_CONNECTION_DEFAULTS,
    ...options,
    enableAutoPipelining: false,
    lazyConnect: true,
  };
  const client = url === undefined ? new Redis(settings) : new Redis(url, settings);
  // A URL can set keyPrefix too (`?keyPrefix=`): checked on the parsed options.
  refuseKeyPrefix(client.options.keyPrefix);
  if (!options.lazyConnect) client.connect().catch(() => {});
  return {
    client,
    owned: true,
    label: url === undefined ? describeClient(client) : redactUrl(url),
  };
}

/**
 * ioredis `keyPrefix` rewrites only the keys it can find in a command: keys
 * inside the bus's scripts and XGROUP/XINFO calls would go unprefixed, so a
 * prefixed client would split one stream over two keys. Refused up front.
 */
function refuseKeyPrefix(prefix: string | undefined): void {
  if (prefix) {
    throw new TypeError(
      `the Redis connection sets keyPrefix "${prefix}", which the bus does not support: its keys come from the catalogue; give each deployment its own catalogue namespace instead`,
    );
  }
}
