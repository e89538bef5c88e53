/**
 * The Redis connections of one bus and how their failures are reported.
 *
 * - One command connection for publishes, acks, scripts and inspection
 *   (no auto-pipelining: see COMMAND_CONNECTION_DEFAULTS). ioredis queues commands while it is disconnected; publishes
 *   are bounded on top of that (`maxOfflineQueue`), and fail fast with a
 *   `ConnectionError` saying so once the bound is reached.
 * - One `duplicate()` per blocking reader (one per stream of a subscription):
 *   `maxRetriesPerRequest: null` (a read waits for the reconnect instead of
 *   failing), no `commandTimeout`, and a finite BLOCK guarded by the
 *   consumer's watchdog.
 * - One subscriber connection for realtime, created on first use; ioredis
 *   re-subscribes it after a reconnect (`autoResubscribe`).
 *
 * Errors never carry `err.command` (ioredis puts the command's arguments
 * there: payloads, passwords) and URLs are redacted.
 */

import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../bus.js';
import { ClosedError, ConnectionError, PublishOutcomeUnknownError } from '../errors.js';
import { redactUrl } from '../internal/logger.js';
import { type ScriptCommands, withScripts } from './scripts/index.js';

/** Where the bus connects: a URL, ioredis options, or a ready client (never quit by the bus). */
export type RedisConnectionOption = string | RedisOptions | Redis;

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
export function describeClient(client: Redis): string {
  const o = client.options;
  if (o.path) return `redis+unix://${o.path}`;
  return `redis://${o.host ?? '127.0.0.1'}:${o.port ?? 6379}${o.db ? `/${o.db}` : ''}`;
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

/** The connections of one bus. */
export class Connections {
  /** The command connection, with the bus's scripts defined. */
  readonly command: Redis & ScriptCommands;
  /** Redacted address for messages. */
  readonly label: string;
  private readonly ownsCommand: boolean;
  private readonly owned = new Set<Redis>();
  private subscriberClient: Redis | undefined;
  private readonly readyListeners = new Set<() => void>();
  private readonly onCommandReadyEvent = () => {
    for (const listener of [...this.readyListeners]) listener();
  };

  constructor(
    option: RedisConnectionOption | undefined,
    private readonly logger: Logger,
  ) {
    const given = option ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    let client: Redis;
    if (given instanceof Redis) {
      refuseKeyPrefix(given.options.keyPrefix);
      // Auto-pipelining delays a command to the next tick while the bus's batched
      // appends go out at once: publishes could overtake each other. The bus then
      // uses its own duplicate without it (and given options lose it, below).
      const ownCopy = given.options.enableAutoPipelining === true;
      client = ownCopy ? given.duplicate({ enableAutoPipelining: false }) : given;
      this.ownsCommand = ownCopy;
      this.label = describeClient(client);
    } else {
      client =
        typeof given === 'string'
          ? new Redis(given, { lazyConnect: true, ...COMMAND_CONNECTION_DEFAULTS })
          : new Redis({
              ...COMMAND_CONNECTION_DEFAULTS,
              ...given,
              enableAutoPipelining: false,
              lazyConnect: true,
            });
      // A URL can set keyPrefix too (`?keyPrefix=`): checked on the parsed options.
      refuseKeyPrefix(client.options.keyPrefix);
      if (!(typeof given === 'object' && given.lazyConnect)) client.connect().catch(() => {});
      this.ownsCommand = true;
      this.label = typeof given === 'string' ? redactUrl(given) : describeClient(client);
    }
    if (this.ownsCommand) this.watch(client, 'command');
    client.on('ready', this.onCommandReadyEvent);
    this.command = withScripts(client);
  }

  /**
   * Calls `listener` on every `ready` of the command connection (the first
   * connect too); returns the function that removes it. After a reconnect
   * ioredis re-sends commands whose replies were lost: a consumer re-reads
   * its own pending list then (a claim scan may have run twice).
   */
  onCommandReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** A new connection for one blocking reader; closed by {@link release} or {@link closeAll}. */
  reader(name: string): Redis {
    const client = this.command.duplicate({
      ...READER_CONNECTION_OVERRIDES,
      connectionName: safeConnectionName(name),
    });
    this.owned.add(client);
    this.watch(client, 'reader');
    return client;
  }

  /** The realtime subscriber connection, created on first use. */
  subscriber(): Redis {
    if (this.subscriberClient === undefined) {
      const client = this.command.duplicate({
        maxRetriesPerRequest: null,
        enableAutoPipelining: false,
        autoResubscribe: true,
        enableOfflineQueue: true,
        lazyConnect: false,
        connectionName: `${CONNECTION_NAME}:realtime`,
      });
      this.owned.add(client);
      this.watch(client, 'subscriber');
      this.subscriberClient = client;
    }
    return this.subscriberClient;
  }

  /** Closes one connection made by {@link reader} (abruptly when `hard`: the socket may be dead). */
  release(client: Redis, hard = false): void {
    this.owned.delete(client);
    if (hard) {
      client.disconnect();
      // A half-open socket never answers the FIN `disconnect()` sends; destroy it.
      (client as unknown as { stream?: { destroy?: () => void } }).stream?.destroy?.();
    } else {
      client.quit().catch(() => client.disconnect());
    }
  }

  /** Quits every connection the bus created; a client given by the user is left open. */
  async closeAll(): Promise<void> {
    const all = [...this.owned];
    this.owned.clear();
    this.readyListeners.clear();
    this.command.off('ready', this.onCommandReadyEvent);
    this.subscriberClient = undefined;
    if (this.ownsCommand) all.push(this.command);
    // QUIT only a ready connection: on one still (re)connecting, ioredis settles
    // QUIT only after its retries run out (seconds), and there is nothing to flush.
    await Promise.all(
      all.map((c) => {
        if (c.status === 'end') return undefined;
        if (c.status !== 'ready') return disconnectNow(c);
        return c.quit().then(
          () => undefined,
          () => c.disconnect(),
        );
      }),
    );
  }

  private watch(client: Redis, role: string): void {
    let lastLogged = 0;
    client.on('error', (error: Error) => {
      // ioredis emits one error per failed reconnect attempt: log at most one per second.
      const now = Date.now();
      if (now - lastLogged < 1000) return;
      lastLogged = now;
      this.logger.warn(
        { redis: this.label, role, error: safeErrorText(error) },
        `redis ${role} connection error`,
      );
    });
  }
}

/** The message of a Redis or socket error, without arguments and with URLs redacted. */
export function safeErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s@/]*@/gi, (m) => redactUrl(m));
}

/** A server error reply (ioredis `ReplyError`): the command reached Redis and was refused. */
export function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

/** The NOGROUP reply: the group (or its stream) does not exist. */
export function isNoGroupError(error: unknown): boolean {
  return error instanceof Error && /^NOGROUP\b/.test(error.message);
}

/** A copy of `error` fit for `cause`: name and message only (no `command`, no arguments). */
function sanitized(error: unknown): Error {
  const copy = new Error(safeErrorText(error));
  if (error instanceof Error) copy.name = error.name;
  return copy;
}

/**
 * The error a failed write is reported with: `ConnectionError` when Redis
 * refused it (nothing was written), `PublishOutcomeUnknownError` when the
 * connection failed after it may have been sent.
 */
export function writeError(error: unknown, what: string, label: string): ConnectionError {
  if (error instanceof ConnectionError) return error;
  const text = safeErrorText(error);
  if (isReplyError(error)) {
    return new ConnectionError(
      `${what} was refused by Redis at ${label}: ${text}; nothing was written (check the server: memory, ACL, cluster state)`,
      { cause: sanitized(error) },
    );
  }
  return new PublishOutcomeUnknownError(
    `${what} failed on Redis at ${label} (${text}): it may or may not have been stored. ` +
      'Publish again only if duplicates are acceptable (consumers can dedupe by envelope id), ' +
      'or enable idempotentPublish so a repeated publish with the same id is stored once',
    { cause: sanitized(error) },
  );
}

/** The error a failed read or admin command is reported with. */
export function readError(error: unknown, what: string, label: string): ConnectionError {
  if (error instanceof ConnectionError) return error;
  return new ConnectionError(`${what} failed on Redis at ${label}: ${safeErrorText(error)}`, {
    cause: sanitized(error),
  });
}

/**
 * Bounds the publishes waiting while the command connection is not ready:
 * ioredis's offline queue is unbounded, so a long outage would buffer every
 * publish in memory. Beyond `max` a publish fails at once (0: fail fast).
 */
export class OfflineGate {
  private waiting = 0;

  constructor(
    private readonly client: Redis,
    private readonly max: number,
    private readonly label: string,
  ) {}

  /** Admits `n` publishes or throws a `ConnectionError` (nothing sent); call the returned function when they settle. */
  admit(n = 1): () => void {
    if (this.client.status === 'ready') return noop;
    if (this.waiting + n > this.max) {
      throw new ConnectionError(
        `Redis at ${this.label} is not connected (status ${this.client.status}) and ${this.waiting} publishes already wait for it ` +
          `(maxOfflineQueue ${this.max}); this publish was not sent. Retry later, or raise maxOfflineQueue ` +
          '(0 fails fast whenever Redis is unreachable)',
      );
    }
    this.waiting += n;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.waiting -= n;
      }
    };
  }
}

function noop(): void {}

/**
 * Disconnects a connection that is not ready and rejects what waits in its
 * queues. ioredis leaves queued commands pending forever when `disconnect()`
 * finds it between reconnect attempts (no socket left to emit `close`), so a
 * publish issued during an outage would never settle after `close()`; its
 * internal `flushQueue` is what its own close handler calls.
 */
function disconnectNow(client: Redis): void {
  client.disconnect();
  if (client.status === 'end') return;
  const flushable = client as unknown as { flushQueue?: (error: Error) => void };
  flushable.flushQueue?.(
    new ClosedError('the bus was closed before Redis answered; the command may not have been sent'),
  );
}
