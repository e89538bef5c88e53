/**
 * The ioredis client the bus makes its connections with. Three things
 * differ from a plain `Redis`:
 *
 * - **A command waits for the connection for a bounded time.** ioredis
 *   queues commands while it is not connected and fails them only after
 *   `maxRetriesPerRequest` reconnect attempts (about 10 s), with a message
 *   that never names the cause. Here a command issued while the connection
 *   is not ready waits at most `waitForConnectionMs`, in order, and is then
 *   sent, or rejected with a `ConnectionError` whose `code` and message name
 *   the cause (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, WRONGPASS, NOAUTH...) and
 *   say that nothing was sent. `null` keeps ioredis's queue (blocking readers
 *   wait for the reconnect).
 * - **A database the server does not have is fatal**, not ignored: ioredis
 *   reports a refused `SELECT` as an error event and goes on in database 0.
 *   Here the ready check waits for the `SELECT` reply; when it was refused
 *   the connection ends, and every command fails with that reason.
 * - **Nothing is printed.** ioredis writes to the console when a password is
 *   given to a server that needs none, and when the ready check's INFO is
 *   refused by an ACL; here both become `notice` events (the bus logs them),
 *   and an error event always has a listener.
 */
import { type Command, Redis, type RedisOptions } from 'ioredis';
import { ConnectionError } from '../errors.js';
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

/** Replies to AUTH that ioredis prints a warning for and then carries on. */
const NEEDLESS_PASSWORD = /no password is set|without any password configured/;

interface Parked {
  readonly command: Command;
  readonly stream: unknown;
  readonly timer: NodeJS.Timeout;
}

type Callback = (error: Error | null, result?: unknown) => void;

/** The bus's ioredis client (see the module comment). */
export class BusClient extends Redis {
  /** The last socket or server error since the connection was last ready. */
  lastFailure: Error | undefined;
  private fatal: ConnectionError | undefined;
  private readonly parked: Parked[] = [];
  private readonly waitMs: number | null;
  private readonly label: string;
  /** The outcome of the connect-time SELECT, while one is under way (null: accepted). */
  private selected: Promise<Error | null> | undefined;

  constructor(options: BusClientOptions) {
    const { waitForConnectionMs, label, ...redisOptions } = options;
    super(redisOptions);
    this.waitMs = waitForConnectionMs;
    this.label = label;
    this.on('error', (error: Error) => {
      this.lastFailure = error;
    });
    this.on('ready', () => {
      this.lastFailure = undefined;
      this.releaseParked();
    });
    this.on('end', () => this.rejectParked(this.fatal ?? this.ended()));
    // Private or overloaded in ioredis's types: wrapped on the instance.
    const self = this as unknown as Record<
      '_readyCheck' | 'auth' | 'info',
      (...args: unknown[]) => unknown
    >;
    const readyCheck = self._readyCheck.bind(this);
    const auth = self.auth.bind(this);
    const info = self.info.bind(this);
    self._readyCheck = (callback) => readyCheck(this.afterSelect(callback as Callback));
    self.auth = (...args) => auth(...withCallback(args, (c) => this.quietAuth(c)));
    // The ready check calls INFO with a callback only.
    self.info = (...args) =>
      args.length === 1 && typeof args[0] === 'function'
        ? info(this.quietInfo(args[0] as Callback))
        : info(...args);
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

  /** Rejects every command still waiting for the connection (the bus is closing). */
  rejectParked(error: Error): void {
    for (const { command, timer } of this.parked.splice(0)) {
      clearTimeout(timer);
      command.reject(error);
    }
  }

  override sendCommand(command: Command, stream?: unknown): unknown {
    if (this.fatal !== undefined) {
      command.reject(this.fatal);
      return command.promise;
    }
    if (this.waitMs === null || this.status === 'ready') {
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
    const timer = setTimeout(() => this.giveUp(command), this.waitMs);
    this.parked.push({ command, stream, timer });
    return command.promise;
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

  /** AUTH's callback, without ioredis's console warning when the server needs no password. */
  private quietAuth(callback: Callback): Callback {
    return (error, result) => {
      if (error && NEEDLESS_PASSWORD.test(error.message)) {
        this.emit('notice', `Redis at ${this.label} needs no password, but one was given`);
        return callback(null, 'OK');
      }
      callback(error, result);
    };
  }

  /** The ready check's INFO callback, without ioredis's console warning when an ACL refuses INFO. */
  private quietInfo(callback: Callback): Callback {
    return (error, result) => {
      if (error?.message.includes('NOPERM')) {
        this.emit(
          'notice',
          `Redis at ${this.label} refused INFO to the ready check; assuming it is ready`,
        );
        return callback(null, '');
      }
      callback(error, result);
    };
  }

  private giveUp(command: Command): void {
    const index = this.parked.findIndex((p) => p.command === command);
    if (index < 0) return;
    this.parked.splice(index, 1);
    const cause = this.lastFailure;
    const why = cause
      ? cause.message
      : `ETIMEDOUT: no connection within ${this.waitMs} ms (status ${this.status})`;
    command.reject(
      this.notSent(
        `Redis at ${this.label} is not reachable (${why})`,
        cause ? codeOf(cause) : 'ETIMEDOUT',
      ),
    );
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

  private notSent(what: string, code?: string): ConnectionError {
    return new ConnectionError(
      `${what}; the command was not sent. Check that Redis runs at that address and that the credentials are right ` +
        `(waited ${this.waitMs} ms: the bus option connectTimeoutMs)`,
      { code },
    );
  }

  private releaseParked(): void {
    for (const { command, stream, timer } of this.parked.splice(0)) {
      clearTimeout(timer);
      super.sendCommand(command, stream as never);
    }
  }
}

/** `args` with its last element, when a function, replaced by `wrap(it)`. */
function withCallback(args: unknown[], wrap: (callback: Callback) => Callback): unknown[] {
  const last = args[args.length - 1];
  if (typeof last !== 'function') return args;
  return [...args.slice(0, -1), wrap(last as Callback)];
}

function nothing(): null {
  return null;
}
