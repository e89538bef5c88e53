/**
 * The Redis connections of one bus and how their failures are reported.
 *
 * - One command connection for publishes, acks, scripts and inspection
 *   (no auto-pipelining: see COMMAND_CONNECTION_DEFAULTS): a standalone
 *   client, or an ioredis Cluster that routes each command to the master of
 *   its key's slot. ioredis queues commands while it is disconnected;
 *   publishes are bounded on top of that (`maxOfflineQueue`, offline-gate.ts).
 * - One connection per blocking reader (one per stream of a subscription):
 *   `maxRetriesPerRequest: null` (a read waits for the reconnect instead of
 *   failing), no `commandTimeout`, and a finite BLOCK guarded by the
 *   consumer's watchdog. On a Cluster it is a connection to the master of
 *   its stream's slot that follows the slot (cluster/cluster-links.ts).
 * - One subscriber connection for realtime, created on first use; ioredis
 *   re-subscribes it after a reconnect (`autoResubscribe`). On a Cluster it
 *   connects to any node and moves on when that node fails.
 * - One connection (a Cluster, on a Cluster) for publishes that wait for
 *   replicas, created on first use: WAIT blocks the connection it is sent
 *   on, so it gets one of its own (replica-wait.ts).
 *
 * Errors never carry `err.command` and URLs are redacted (redis-errors.ts).
 */
import type { Redis, RedisOptions } from 'ioredis';
import type { ConnectionHealth, Logger } from '../bus.js';
import { ClosedError } from '../errors.js';
import { BusClient } from './bus-client.js';
import { BusCluster } from './cluster/bus-cluster.js';
import { clusterSeeds } from './cluster/cluster-client.js';
import { ClusterLinks } from './cluster/cluster-links.js';
import type { NodeTarget } from './cluster/node-target.js';
import {
  CONNECTION_NAME,
  READER_CONNECTION_OVERRIDES,
  safeConnectionName,
} from './connection-defaults.js';
import { commandClient, type RedisConnectionOption } from './connection-options.js';
import { isCluster, type RedisClient } from './redis-client.js';
import { safeErrorText } from './redis-errors.js';
import { type ScriptCommands, withScripts } from './scripts/index.js';
import { DEFAULT_STALL_TIMEOUT_MS, StallWatch } from './stall-watch.js';
import { waitUntilReady } from './wait-until-ready.js';

/** The connections of one bus. */
export class Connections {
  /** The command connection, with the bus's scripts defined. */
  readonly command: RedisClient & ScriptCommands;
  /** Redacted address for messages. */
  readonly label: string;
  /** On a Cluster: where the single-node connections go. */
  private readonly links: ClusterLinks | undefined;
  private readonly ownsCommand: boolean;
  private readonly owned = new Set<Redis>();
  private readonly roles = new WeakMap<object, ConnectionHealth['role']>();
  private subscriberClient: Redis | undefined;
  private replicatedClient: RedisClient | undefined;
  private readonly readyListeners = new Set<() => void>();
  private readonly onCommandReadyEvent = () => {
    this.lastError = undefined;
    for (const listener of [...this.readyListeners]) listener();
  };
  /** The last error of a command connection the bus made, since it was last ready. */
  private lastError: Error | undefined;
  /** Aborted by {@link closeAll}: waits end, no new reader is made. */
  private readonly closed = new AbortController();
  /** Resets the command connection when it stops answering while Redis answers (stall-watch.ts). */
  private readonly stallWatch: StallWatch | undefined;

  constructor(
    option: RedisConnectionOption | undefined,
    private readonly logger: Logger,
    /** How long a command waits for a connection (the bus option `connectTimeoutMs`). */
    private readonly waitMs: number,
    /** The bus option `stallTimeoutMs`: 0 turns the watch off. */
    stallMs: number = DEFAULT_STALL_TIMEOUT_MS,
  ) {
    const { client, owned, label } = commandClient(option, waitMs);
    this.ownsCommand = owned;
    this.label = label;
    if (owned) this.watch(client, 'command');
    // A standalone command connection the bus made; a Cluster's node connections are ioredis's.
    if (owned && stallMs > 0 && client instanceof BusClient) {
      this.stallWatch = new StallWatch(client, stallMs, logger, label);
    }
    client.on('ready', this.onCommandReadyEvent);
    if (isCluster(client)) {
      this.links = new ClusterLinks(client, clusterSeeds(client));
      // A slot that changed master is, for the bus, a reconnect of that stream's connection.
      this.links.onChange(this.onCommandReadyEvent);
    }
    this.command = withScripts(client);
  }

  /** Whether the bus talks to a Redis Cluster. */
  get cluster(): boolean {
    return this.links !== undefined;
  }

  /** The command connection's name (CLIENT SETNAME), which the bus's other connections extend. */
  get name(): string {
    const options = isCluster(this.command)
      ? this.command.options.redisOptions
      : (this.command as Redis).options;
    return options?.connectionName || CONNECTION_NAME;
  }

  /**
   * Resolves once the command connection is ready and Redis answered PING;
   * rejects with a `ConnectionError` saying why not within `timeoutMs`, at
   * once when the connection gave up, with `ClosedError` when the bus closes
   * meanwhile (wait-until-ready.ts).
   */
  waitUntilReady(timeoutMs: number): Promise<void> {
    return waitUntilReady(this.command, {
      label: this.label,
      timeoutMs,
      closed: this.closed.signal,
      earlierError: this.lastError,
    });
  }

  /**
   * Calls `listener` on every `ready` of the command connection (the first
   * connect too) and, on a Cluster, after any slot changed master; returns
   * the function that removes it. After a reconnect ioredis re-sends commands
   * whose replies were lost: a consumer re-reads its own pending list then (a
   * claim scan may have run twice).
   */
  onCommandReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /**
   * Calls `listener` when, on a Cluster, a node connection of the command
   * side fails: a failover may be under way, and publishes may succeed on a
   * new master before the bus hears that a slot moved (nothing on one node,
   * where nothing succeeds between a disconnect and the next `ready`).
   */
  onTrouble(listener: () => void): void {
    if (!isCluster(this.command)) return;
    this.command.on('node error', listener);
    this.command.on('-node', listener);
  }

  /**
   * A new connection for one blocking reader of stream `key` (on a Cluster,
   * to the master of its slot); closed by {@link release} or {@link closeAll}.
   */
  reader(name: string, key: string): Redis {
    if (this.closed.signal.aborted) {
      throw new ClosedError('the bus is closed: it opens no new reader connection');
    }
    const overrides = { ...READER_CONNECTION_OVERRIDES, connectionName: safeConnectionName(name) };
    // A blocking read waits for the reconnect (no bound): the consumer's watchdog guards it.
    const client = this.derived(overrides, null, this.links?.readerOptions(key));
    this.owned.add(client);
    this.watch(client, 'reader');
    return client;
  }

  /** The realtime subscriber connection, created on first use. */
  subscriber(): Redis {
    if (this.subscriberClient === undefined) {
      const client = this.derived(
        {
          maxRetriesPerRequest: null,
          enableAutoPipelining: false,
          autoResubscribe: true,
          enableOfflineQueue: true,
          lazyConnect: false,
          connectionName: `${CONNECTION_NAME}:realtime`,
        },
        this.waitMs,
        this.links?.subscriberOptions(),
      );
      this.owned.add(client);
      this.watch(client, 'subscriber');
      this.subscriberClient = client;
    }
    return this.subscriberClient;
  }

  /** The connection for publishes that wait for replicas (see the module comment), created on first use. */
  replicated(): RedisClient {
    if (this.replicatedClient === undefined) {
      const connectionName = `${this.name}:replicated`;
      const command = this.command;
      let client: RedisClient;
      if (isCluster(command)) {
        const cluster = new BusCluster(clusterSeeds(command), {
          ...command.options,
          redisOptions: { ...command.options.redisOptions, connectionName },
          enableAutoPipelining: false,
          lazyConnect: true,
          waitForConnectionMs: this.waitMs,
          label: this.label,
        });
        cluster.connect().catch(() => undefined);
        client = cluster;
      } else {
        const options = { connectionName, enableAutoPipelining: false, lazyConnect: false };
        client = this.derived(options, this.waitMs);
      }
      this.watch(client, 'replicated');
      this.replicatedClient = client;
    }
    return this.replicatedClient;
  }

  /**
   * A connection of the command side to the server `client` is connected to
   * (for CLIENT UNBLOCK and CLIENT KILL of a reader), or undefined when there
   * is none (a Cluster node it has no connection to).
   */
  serverOf(client: Redis): RedisClient | undefined {
    return this.links ? this.links.nodeConnection(client) : this.command;
  }

  /** Whether reads on `client` need ASKING first (on a Cluster, while its slot migrates to its node). */
  asking(client: Redis): boolean {
    return this.links?.asking(client) ?? false;
  }

  /**
   * After a failed read on `client`: on a Cluster, MOVED and ASK move it,
   * UNBLOCKED, TRYAGAIN and CLUSTERDOWN wait a moment (cluster-links.ts).
   * Resolves true when the read should just be sent again.
   */
  followRedirect(client: Redis, error: unknown): Promise<boolean> {
    return this.links?.followRedirect(client, error) ?? Promise.resolve(false);
  }

  /** Closes one connection made by {@link reader} (abruptly when `hard`: the socket may be dead). */
  release(client: Redis, hard = false): void {
    this.owned.delete(client);
    if (hard) {
      // Also rejects what waits in its queues when it is between reconnect attempts.
      disconnectNow(client);
      // A half-open socket never answers the FIN `disconnect()` sends; destroy it.
      (client as unknown as { stream?: { destroy?: () => void } }).stream?.destroy?.();
    } else {
      client.quit().catch(() => client.disconnect());
    }
  }

  /** Quits every connection the bus created; a client given by the user is left open. */
  async closeAll(): Promise<void> {
    this.closed.abort();
    this.stallWatch?.stop();
    const all: RedisClient[] = [...this.owned];
    this.owned.clear();
    this.readyListeners.clear();
    this.command.off('ready', this.onCommandReadyEvent);
    this.subscriberClient = undefined;
    if (this.replicatedClient !== undefined) all.push(this.replicatedClient);
    this.replicatedClient = undefined;
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

  /**
   * A new connection with the command connection's settings (on a Cluster,
   * those of its nodes, going where `target` says) and `overrides`.
   */
  private derived(
    overrides: RedisOptions,
    waitMs: number | null,
    follow?: { options: RedisOptions; target: NodeTarget },
  ): BusClient {
    const base = follow?.options ?? (this.command as Redis).options;
    const client = new BusClient({
      ...base,
      ...overrides,
      waitForConnectionMs: waitMs,
      label: this.label,
    });
    if (follow) this.links!.adopt(client, follow.target);
    return client;
  }

  /** Every connection of the bus with its role and status, for `health()`. */
  health(): ConnectionHealth[] {
    return [this.command, ...this.owned].map((client) => ({
      role: this.roles.get(client) ?? 'command',
      name: (client.options as { connectionName?: string }).connectionName ?? CONNECTION_NAME,
      status: client.status,
    }));
  }

  private watch(client: RedisClient, role: ConnectionHealth['role']): void {
    this.roles.set(client, role);
    client.on('notice', (text: string) => this.logger.warn({ redis: this.label, role }, text));
    let lastLogged = 0;
    let failing = false;
    client.on('ready', () => {
      if (!failing) return;
      failing = false;
      this.logger.info({ redis: this.label, role }, `redis ${role} connection restored`);
    });
    client.on('error', (error: Error) => {
      failing = true;
      if (role === 'command') this.lastError = error;
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

/**
 * Disconnects a connection that is not ready and rejects what waits in its
 * queues. ioredis leaves queued commands pending forever when `disconnect()`
 * finds it between reconnect attempts (no socket left to emit `close`), so a
 * publish issued during an outage would never settle after `close()`; its
 * internal `flushQueue` is what its own close handler calls.
 */
/** ioredis's queue of commands to send again after a reconnect (not in its types). */
interface PendingQueue {
  readonly length: number;
  shift(): { readonly command: { reject(error: Error): void } } | undefined;
}

function disconnectNow(client: RedisClient): void {
  const closed = () =>
    new ClosedError('the bus was closed before Redis answered; the command may not have been sent');
  if (client instanceof BusClient || client instanceof BusCluster) client.rejectParked(closed());
  client.disconnect();
  // Commands ioredis keeps to send again once a reconnect is ready: its flushQueue leaves them
  // unsettled when the connection ends before that (a blocked read would never return).
  const resend = (client as unknown as { prevCommandQueue?: PendingQueue | null }).prevCommandQueue;
  while (resend && resend.length > 0) resend.shift()?.command.reject(closed());
  if (client.status === 'end') return;
  const flushable = client as unknown as { flushQueue?: (error: Error) => void };
  flushable.flushQueue?.(closed());
}
