/**
 * What every Redis command of the CLI (bootstrap, inspect, tail, dlq) does
 * first: find the Redis URL (`--redis`, else REDIS_URL), load the catalogue,
 * and open a RedisEventBus that fails fast (no reconnects, no offline queue:
 * a CLI must not hang while ioredis retries; on a Redis Cluster the same
 * options make the cluster give up at once) and wait until it is ready;
 * afterwards, close it. Only the public `schemabus` API is used, so a user's
 * script can do all of it too. Failures become exit 2 (1 for an invalid
 * catalogue) with what to do.
 */
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
  readonly redis?: string | undefined;
  /** The catalogue. @default `events.schema.yaml` */
  readonly schema?: string | undefined;
}

/** The bus on an open connection and the catalogue, for one command run. */
export interface RedisSession {
  /** A ready bus whose connection fails fast (no reconnects, no offline queue). */
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
  if (!/^rediss?(\+cluster)?:\/\//i.test(url)) {
    return {
      error: `--redis must be a redis://, rediss://, redis+cluster:// or rediss+cluster:// URL, got "${redactUrl(url)}" (e.g. redis://127.0.0.1:6379, redis+cluster://10.0.0.1:7000,10.0.0.2:7000)`,
    };
  }
  const parameter = unsupportedQueryParameter(url);
  if (parameter !== undefined) {
    return {
      error: `--redis: the query parameter "${parameter}" is not supported in "${redactUrl(url)}"; drop it from --redis (or REDIS_URL): the CLI takes redis[s]://[user:password@]host:port[/db] with at most ?family=4 or ?family=6 (rediss:// for TLS), and a cluster URL takes no query parameters`,
    };
  }
  return { url };
}

/**
 * The first query parameter of `url` the bus does not take from a URL (only
 * `family`, and on a cluster URL none), said here so a CLI user hears what
 * to change in the URL rather than the library's "give ioredis options".
 */
function unsupportedQueryParameter(url: string): string | undefined {
  const start = url.indexOf('?');
  if (start < 0) return undefined;
  const end = url.indexOf('#', start);
  const query = new URLSearchParams(url.slice(start + 1, end < 0 ? undefined : end));
  const allowed = /^rediss?\+cluster:/i.test(url) ? [] : ['family'];
  for (const name of query.keys()) if (!allowed.includes(name)) return name;
  return undefined;
}

/**
 * A RedisEventBus on `url` that fails fast, once it is ready; or a message
 * saying what to do when Redis cannot be reached in `timeoutMs`.
 */
export async function connectBus(
  catalog: Catalog,
  url: string,
  timeoutMs: number = CONNECT_TIMEOUT_MS,
): Promise<{ readonly bus: RedisEventBus } | { readonly error: string }> {
  let bus: RedisEventBus;
  try {
    bus = new RedisEventBus({
      catalog,
      redis: {
        url,
        connectTimeout: timeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
        connectionName: 'schemabus-cli',
      },
      maxOfflineQueue: 0,
      connectTimeoutMs: timeoutMs,
    });
  } catch (error) {
    // An invalid URL: the message says what is wrong with it.
    return { error: error instanceof Error ? error.message : String(error) };
  }
  try {
    await bus.waitUntilReady({ timeoutMs });
    return { bus };
  } catch (error) {
    await bus.close({ timeoutMs: 0 }).catch(() => undefined);
    const why = error instanceof Error ? error.message : String(error);
    return { error: `${why}: pass the right one with --redis URL or REDIS_URL` };
  }
}

/** What a Redis command knows before it connects: where to, and the catalogue. */
export interface RedisTarget {
  readonly url: string;
  /** The URL, password redacted. */
  readonly label: string;
  readonly catalog: Catalog;
  /** The catalogue file as shown to the user. */
  readonly schemaPath: string;
}

/**
 * The Redis URL (`--redis`, else REDIS_URL) and the loaded catalogue, or the
 * result to return: exit 2 without a usable URL or file, 1 for an invalid
 * catalogue.
 */
export async function resolveTarget(
  options: RedisTargetOptions,
  context: CommandContext,
): Promise<RedisTarget | CommandResult> {
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
  return {
    url: target.url,
    label: redactUrl(target.url),
    catalog: file.model.catalog,
    schemaPath: file.path,
  };
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
  const target = await resolveTarget(options, context);
  if (isResult(target)) return target;
  const connected = await connectBus(target.catalog, target.url);
  if ('error' in connected) return usageError(connected.error);
  const { bus } = connected;
  try {
    return await work({
      bus,
      catalog: bus.catalog,
      schemaPath: target.schemaPath,
      label: target.label,
    });
  } catch (error) {
    if (error instanceof SchemabusError) return usageError(error.message);
    throw error;
  } finally {
    await bus.close({ timeoutMs: 0 }).catch(() => undefined);
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

/** Adds `--redis` and `--schema` to a Redis command. */
export function redisArgs<T>(yargs: Argv<T>) {
  return yargs
    .option('redis', {
      type: 'string',
      describe:
        'Redis URL, redis://[user:password@]host:port[/db], or redis+cluster://host:port[,host:port...] for a Redis Cluster (rediss:// forms for TLS; default: REDIS_URL)',
    })
    .option('schema', {
      type: 'string',
      default: DEFAULT_SCHEMA,
      describe: 'The event catalogue (YAML)',
    });
}
