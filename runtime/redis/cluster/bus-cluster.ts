/**
 * The ioredis Cluster the bus makes when it is given a cluster URL. What
 * differs from a plain `Cluster`:
 *
 * - **A command waits for the cluster for a bounded time** (as the
 *   standalone client does, connection-wait.ts): ioredis keeps commands
 *   queued while the cluster is not ready for as long as its
 *   `clusterRetryStrategy` goes on; here they wait at most
 *   `waitForConnectionMs`, then fail unsent with a `ConnectionError` naming
 *   the cause.
 * - **A failed command says whether it may have run.** ioredis follows MOVED
 *   and ASK and retries TRYAGAIN, CLUSTERDOWN and a closed connection (a
 *   failover) by itself, up to `maxRedirections`; when it gives up, its
 *   error no longer tells whether an earlier attempt reached a master before
 *   that master failed. Here every attempt is watched: a command never
 *   written to a socket, or only answered with redirections, fails as a
 *   `ConnectionError` (nothing ran); one whose connection closed after it
 *   was written fails with a plain error, which a publish reports as
 *   `PublishOutcomeUnknownError`.
 * - **Nothing is printed**: node connections are quieted as the standalone
 *   client is (quiet-console.ts), and error events always have a listener.
 */
import { Cluster, type ClusterNode, type ClusterOptions, type Command, type Redis } from 'ioredis';
import { ConnectionError } from '../../errors.js';
import { ConnectionWait } from '../connection-wait.js';
import { quietConsole } from '../quiet-console.js';
import { codeOf, safeErrorText } from '../redis-errors.js';

/** Options of a {@link BusCluster}: ioredis Cluster options and the connection wait. */
export interface BusClusterOptions extends ClusterOptions {
  /** How long a command waits for the cluster before it fails unsent; `null`: as ioredis (no bound). */
  readonly waitForConnectionMs: number | null;
  /** The redacted address, for messages. */
  readonly label: string;
}

/**
 * How the bus's Cluster rides out a failover: a command retried after a
 * closed connection, TRYAGAIN or CLUSTERDOWN waits 200 ms (100 for
 * TRYAGAIN) between attempts, at most 24 redirections and retries in all:
 * about 3 to 5 s, enough for a replica to take over after
 * `cluster-node-timeout` (the given options may change every one).
 */
export const CLUSTER_DEFAULTS: ClusterOptions = {
  retryDelayOnFailover: 200,
  retryDelayOnClusterDown: 200,
  retryDelayOnTryAgain: 100,
  maxRedirections: 24,
  enableAutoPipelining: false,
};

/** Commands whose attempts are watched already (ioredis may send one through sendCommand twice). */
const watched = new WeakSet<Command>();

interface Attempts {
  /** Written to a socket since the last failed attempt. */
  written: boolean;
  /** Some attempt was written and its connection then failed: it may have run. */
  cutOff: boolean;
  last: Error | undefined;
}

/** The bus's ioredis Cluster (see the module comment). */
export class BusCluster extends Cluster {
  readonly label: string;
  private readonly parking: ConnectionWait | undefined;

  constructor(nodes: readonly ClusterNode[], options: BusClusterOptions) {
    const { waitForConnectionMs, label, ...clusterOptions } = options;
    super([...nodes], clusterOptions);
    this.label = label;
    this.parking =
      waitForConnectionMs === null
        ? undefined
        : new ConnectionWait(waitForConnectionMs, label, () => this.status);
    const failed = (error: Error) => {
      if (this.parking) this.parking.lastFailure = error;
    };
    this.on('error', failed);
    this.on('node error', failed);
    this.on('ready', () => {
      if (this.parking === undefined) return;
      this.parking.lastFailure = undefined;
      this.parking.release((command, stream) => this.sendWatched(command, stream, undefined));
    });
    this.on('end', () =>
      this.parking?.rejectAll(
        this.parking.notSent('the connection was closed before the command could be sent'),
      ),
    );
    this.on('+node', (redis: Redis) =>
      quietConsole(redis, label, (text) => this.emit('notice', text)),
    );
  }

  /** Rejects every command still waiting for the cluster (the bus is closing). */
  rejectParked(error: Error): void {
    this.parking?.rejectAll(error);
  }

  override sendCommand(command: Command, stream?: unknown, node?: unknown): unknown {
    if (
      node !== undefined ||
      this.parking === undefined ||
      this.status === 'ready' ||
      this.status === 'end' ||
      // ioredis's own handshake (CLUSTER INFO, CLUSTER SLOTS) goes before the cluster is ready.
      command.name === 'cluster'
    ) {
      return this.sendWatched(command, stream, node);
    }
    if (this.status === 'wait') this.connect().catch(() => undefined);
    return this.parking.park(command, stream);
  }

  /** Sends `command`, watching its attempts (see the module comment). */
  private sendWatched(command: Command, stream: unknown, node: unknown): unknown {
    const send = () => super.sendCommand(command, stream as never, node);
    // A pipeline's commands (node given) are not retried one by one by ioredis.
    if (node !== undefined || watched.has(command)) return send();
    watched.add(command);
    const attempts: Attempts = { written: false, cutOff: false, last: undefined };
    const settle = command.reject;
    command.reject = (error: Error) =>
      settle.call(command, finalError(error, attempts, this.label));
    const result = send();
    // ioredis replaced reject with its retrying one: every attempt's failure passes here first.
    const retry = command.reject;
    command.reject = (error: Error) => {
      if (attempts.written && !isReplyError(error)) attempts.cutOff = true;
      attempts.written = false;
      attempts.last = error;
      retry.call(command, error);
    };
    const write = command.toWritable;
    command.toWritable = (socket: object) => {
      attempts.written = true;
      return write.call(command, socket);
    };
    return result;
  }
}

function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

/** MOVED, ASK, TRYAGAIN, CLUSTERDOWN: the node did not run the command. */
function isRedirection(error: unknown): boolean {
  return (
    isReplyError(error) && /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN)\b/.test((error as Error).message)
  );
}

/** The error a command fails with once ioredis gave up (see the module comment). */
function finalError(error: Error, attempts: Attempts, label: string): Error {
  if (attempts.cutOff) {
    if (!isReplyError(error)) return error;
    // An earlier attempt may have run on a master that failed; say so, as a plain error.
    const copy = new Error(
      `${error.message} (an earlier attempt was cut off by a lost connection: it may have run)`,
    );
    return copy;
  }
  if (isReplyError(error) && !isRedirection(error)) return error; // refused: OOM, NOPERM, ...
  const cause = attempts.last ?? error;
  return new ConnectionError(
    `Redis Cluster at ${label} did not run the command (${safeErrorText(error)}); it was not written to any master that could have run it`,
    { code: codeOf(cause) ?? 'ECONNCLOSED', cause: new Error(safeErrorText(cause)) },
  );
}
