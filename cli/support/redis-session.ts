/**
 * What every Redis command of the CLI (bootstrap, inspect, tail, dlq) does
 * first: find the Redis URL (`--redis`, else REDIS_URL), load the catalogue,
 * connect with a deadline (a CLI must not hang while ioredis retries), and
 * build a RedisEventBus on that connection; afterwards, close both. Failures
 * become exit 2 (1 for an invalid catalogue) with what to do.
 */
import { Redis } from 'ioredis';
import {
  type Catalog,
  type CatalogStream,
  RedisEventBus,
  redactUrl,
  SchemabusError,
} from 'schemabus';
import type { Argv } from 'yargs';
import {
  type CommandContext,
  type CommandResult,
  EXIT_FINDING,
  result,
  usageError,
} from '../command.js';
import { DEFAULT_SCHEMA, formatIssues, readCatalogFile } from './catalog-file.js';

/** How long connecting to Redis may take. */
export const CONNECT_TIMEOUT_MS = 3000;

/** Options shared by the Redis commands. */
export interface RedisTargetOptions {
  /** Redis URL. @default process.env.REDIS_URL */
  readonly redis?: string;
  /** The catalogue. @default `events.schema.yaml` */
  readonly schema?: string;
}

/** An open connection, the bus on it and the catalogue, for one command run. */
export interface RedisSession {
  /** A connected client (no reconnects, no offline queue): fail fast. */
  readonly client: Redis;
  readonly bus: RedisEventBus;
  readonly catalog: Catalog;
  /** The catalogue file as shown to the user. */
  readonly schemaPath: string;
  /** The Redis URL, password redacted. */
  readonly label: string;
}

/** The Redis URL to use, or why there is none. */
export function resolveRedisUrl(
  given: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { readonly url: string } | { readonly error: string } {
  const url = given || env.REDIS_URL || undefined;
  if (url === undefined) {
    return { error: 'no Redis to talk to: pass --redis redis://host:port, or set REDIS_URL' };
  }
  if (!/^rediss?:\/\//i.test(url)) {
    return {
      error: `--redis must be a redis:// or rediss:// URL, got "${redactUrl(url)}" (e.g. redis://127.0.0.1:6379)`,
    };
  }
  return { url };
}

/** Connects to `url` and checks it answers PING; a message saying what to do when not. */
export async function connectRedis(
  url: string,
  timeoutMs: number = CONNECT_TIMEOUT_MS,
): Promise<{ readonly client: Redis } | { readonly error: string }> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    connectionName: 'schemabus-cli',
  });
  // ioredis rejects connect() with "Connection is closed."; the socket's error says why.
  let socketError: unknown;
  client.on('error', (error) => {
    socketError ??= error;
  });
  try {
    await client.connect();
    await client.ping();
    return { client };
  } catch (error) {
    // A failed connect has ended the client already; disconnect() would arm a 2 s socket timer.
    if (client.status !== 'end') client.disconnect();
    return {
      error: `cannot reach Redis at ${redactUrl(url)} (${describeError(socketError ?? error)}): start it, or pass the right URL with --redis URL or REDIS_URL`,
    };
  }
}

/**
 * Runs `work` with a session, then closes it. A `SchemabusError` thrown by
 * `work` (a connection error, an unknown id) becomes exit 2 with its message.
 */
export async function withRedisSession(
  options: RedisTargetOptions,
  context: CommandContext,
  work: (session: RedisSession) => Promise<CommandResult>,
): Promise<CommandResult> {
  const target = resolveRedisUrl(options.redis);
  if ('error' in target) return usageError(target.error);
  const file = await readCatalogFile(context.cwd, options.schema ?? DEFAULT_SCHEMA);
  if (file.kind === 'unreadable') return usageError(file.message);
  if (file.kind === 'invalid') {
    return result(
      EXIT_FINDING,
      [],
      [...formatIssues(file.path, file.issues), 'fix the catalogue first (schemabus check)'],
    );
  }
  const connected = await connectRedis(target.url);
  if ('error' in connected) return usageError(connected.error);
  const { client } = connected;
  const catalog = file.model.catalog;
  const bus = new RedisEventBus({ catalog, redis: client });
  try {
    return await work({
      client,
      bus,
      catalog,
      schemaPath: file.path,
      label: redactUrl(target.url),
    });
  } catch (error) {
    if (error instanceof SchemabusError) return usageError(error.message);
    throw error;
  } finally {
    await bus.close({ timeoutMs: 0 }).catch(() => undefined);
    await client.quit().catch(() => client.disconnect());
  }
}

/** The catalogue stream named `name`, or a usage error listing the streams. */
export function findStream(catalog: Catalog, name: string): CatalogStream | CommandResult {
  const stream = catalog.streams[name];
  if (stream !== undefined) return stream;
  const names = Object.keys(catalog.streams).sort();
  return usageError(
    `no stream "${name}" in the catalogue (namespace ${catalog.namespace}); streams: ${names.join(', ')}`,
  );
}

/** Whether `value` is a command result (a failed lookup) rather than what was looked up. */
export function isResult(value: object): value is CommandResult {
  return 'exitCode' in value && 'stdout' in value;
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s@/]*@/gi, (m) => redactUrl(m));
}

/** Adds `--redis` and `--schema` to a Redis command. */
export function redisArgs<T>(yargs: Argv<T>) {
  return yargs
    .option('redis', {
      type: 'string',
      describe: 'Redis URL, redis://[user:password@]host:port[/db] (default: REDIS_URL)',
    })
    .option('schema', {
      type: 'string',
      default: DEFAULT_SCHEMA,
      describe: 'The event catalogue (YAML)',
    });
}
