/**
 * The ioredis client the bus makes its standalone connections with. Three
 * things differ from a plain `Redis`:
 *
 * - **A command waits for the connection for a bounded time**
 *   (connection-wait.ts): a command issued while the connection is not ready
 *   waits at most `waitForConnectionMs`, in order, and is then sent, or
 *   rejected with a `ConnectionError` naming the cause and saying that
 *   nothing was sent. `null` keeps ioredis's queue (blocking readers wait for
 *   the reconnect).
 * - **A database the server does not have is fatal**, not ignored: ioredis
 *   reports a refused `SELECT` as an error event and goes on in database 0.
 *   Here the ready check waits for the `SELECT` reply; when it was refused
 *   the connection ends, and every command fails with that reason.
 * - **Nothing is printed** (quiet-console.ts): the console warnings of
 *   ioredis become `notice` events (the bus logs them), and an error event
 *   always has a listener.
 */
import { type Command, Redis, type RedisOptions } from 'ioredis';
import { ConnectionError } from '../errors.js';
import { ConnectionWait } from './connection-wait.js';
import { quietConsole } from './quiet-console.js';
import { codeOf } from './redis-errors.js';

/** Options of a {@link BusClient}: ioredis options and the connection wait. */
export interface BusClientOptions extends RedisOptions {
  /** How long a command waits for the connection before it fails unsent; `null`: as ioredis (no bound). */
  readonly waitForConnectionMs: number | null;
  /** The redacted address, for messages. */
  readonly label: string;
}

/** Commands ioredis sends on a new connection before it is ready: never held back. */
const HANDSHAKE = new Set(['auth', 'select', 'client', 'info', 'hello', 'ping', 'readonly']);

type Callback = (error: Error | null, result?: unknown) => void;

/** The bus's ioredis client (see the module comment). */
export class BusClient extends Redis {
  private fatal: ConnectionError | undefined;
  private readonly parking: ConnectionWait | undefined;
  private readonly waitMs: number | null;
  private readonly label: string;
  /** The outcome of the connect-time SELECT, while one is under way (null: accepted). */
  private selected: Promise<Error | null> | undefined;
  /**
   * Chunks received from Redis since {@link trackProgress} was called
   * (stall-watch.ts): a connection that stopped answering has commands in
   * ioredis's `commandQueue` (written, awaiting their replies) and this not moving.
   */
  received = 0;
  private tracking = false;

  constructor(options: BusClientOptions) {
    const { waitForConnectionMs, label, ...redisOptions } = options;
    super(redisOptions);
    this.waitMs = waitForConnectionMs;
    this.label = label;
    this.parking =
      waitForConnectionMs === null
        ? undefined
        : new ConnectionWait(waitForConnectionMs, label, () => this.status);
    this.on('error', (error: Error) => {
      if (this.parking) this.parking.lastFailure = error;
    });
    this.on('ready', () => {
      if (this.parking === undefined) return;
      this.parking.lastFailure = undefined;
      this.parking.release((command, stream) => super.sendCommand(command, stream as never));
    });
    this.on('end', () => this.parking?.rejectAll(this.fatal ?? this.ended()));
    // Private in ioredis's types: wrapped on the instance.
    const self = this as unknown as Record<'_readyCheck', (...args: unknown[]) => unknown>;
    const readyCheck = self._readyCheck.bind(this);
    self._readyCheck = (callback) => readyCheck(this.afterSelect(callback as Callback));
    quietConsole(this, label, (text) => this.emit('notice', text));
  }

  /** The last socket or server error since the connection was last ready. */
  get lastFailure(): Error | undefined {
    return this.parking?.lastFailure;
  }

  /** A new client with the same settings (ioredis's `duplicate()` would make a plain `Redis`). */
  override duplicate(override?: Partial<BusClientOptions>): Redis {
    return new BusClient({
      ...(this.options as RedisOptions),
      waitForConnectionMs: this.waitMs,
      label: this.label,
      ...override,
    });
  }

  /** Counts received data from now on (see `received`). */
  trackProgress(): void {
    if (this.tracking) return;
    this.tracking = true;
    const onData = () => {
      this.received++;
    };
    this.stream?.on('data', onData);
    // Every new socket (a reconnect) is watched too.
    this.on('connect', () => this.stream?.on('data', onData));
  }

  /** Rejects every command still waiting for the connection (the bus is closing). */
  rejectParked(error: Error): void {
    this.parking?.rejectAll(error);
  }

  override sendCommand(command: Command, stream?: unknown): unknown {
    if (this.fatal !== undefined) {
      command.reject(this.fatal);
      return command.promise;
    }
    if (this.parking === undefined || this.status === 'ready') {
      return super.sendCommand(command, stream as never);
    }
    if (this.status === 'end') {
      // ioredis would reject it with "Connection is closed.", which reads as a failure after
      // sending (an outcome unknown); it was never written.
      command.reject(this.ended());
      return command.promise;
    }
    if (this.status === 'connect' && HANDSHAKE.has(command.name)) {
      const sent = super.sendCommand(command, stream as never);
      if (command.name === 'select') {
        this.selected = command.promise.then(nothing, (error: Error) => error);
      }
      return sent;
    }
    if (this.status === 'wait') this.connect().catch(nothing);
    return this.parking.park(command, stream);
  }

  /** Why a command on an ended connection (it does not reconnect) fails: the cause that ended it. */
  private ended(): ConnectionError {
    const cause = this.lastFailure;
    return new ConnectionError(
      `Redis at ${this.label} is not connected: the connection ended` +
        (cause ? ` (${cause.message})` : '') +
        ' and does not reconnect (its retryStrategy gave up, or it was disconnected); the command was not sent',
      { code: cause ? codeOf(cause) : undefined },
    );
  }

  /**
   * The ready check's callback, made to wait for the connect-time SELECT: a
   * refused database ends the connection instead of going on in database 0.
   */
  private afterSelect(callback: Callback): Callback {
    return (error, info) => {
      const selected = this.selected;
      this.selected = undefined;
      if (error || selected === undefined) return callback(error, info);
      void selected.then((refused) => {
        if (refused === null) return callback(null, info);
        this.fatal = new ConnectionError(
          `Redis at ${this.label} refused database ${this.options.db}: ${refused.message}. ` +
            'Use a database index the server has (redis.conf `databases`, 16 by default; a Cluster has only 0)',
        );
        this.emit('error', this.fatal);
        this.disconnect();
      });
    };
  }
}

function nothing(): null {
  return null;
}
