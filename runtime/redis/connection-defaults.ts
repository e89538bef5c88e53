/**
 * What every connection the bus makes starts from: the default names and
 * options, the wait for a connection, and the refusal of `keyPrefix`
 * (shared by the standalone and Cluster command connections).
 */
import type { RedisOptions } from 'ioredis';
import type { RedisClient } from './redis-client.js';

/** How long a command waits for a connection by default (the bus option `connectTimeoutMs`). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 2000;

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
  // No CLIENT SETINFO at connect (Redis 7.2+): it is one more command a
  // least-privilege user would need (and Redis 7.0 refuses the rule naming it).
  disableClientInfo: true,
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

/** The command connection of a bus: the client, whether the bus made it, and its redacted address. */
export interface CommandClient {
  readonly client: RedisClient;
  /** The bus created it (and quits it on close); a client given by the user is never quit. */
  readonly owned: boolean;
  readonly label: string;
}

/**
 * ioredis `keyPrefix` rewrites only the keys it can find in a command: keys
 * inside the bus's scripts and XGROUP/XINFO calls would go unprefixed, so a
 * prefixed client would split one stream over two keys. Refused up front.
 */
export function refuseKeyPrefix(prefix: string | undefined): void {
  if (prefix) {
    throw new TypeError(
      `the Redis connection sets keyPrefix "${prefix}", which the bus does not support: its keys come from the catalogue; give each deployment its own catalogue namespace instead`,
    );
  }
}
