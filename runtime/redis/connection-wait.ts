/**
 * Commands waiting for a connection, for a bounded time. ioredis queues
 * commands while it is not connected and fails them only after its retries
 * (a standalone client after `maxRetriesPerRequest` reconnect attempts, a
 * Cluster never while its `clusterRetryStrategy` goes on), with messages that
 * never name the cause. A command parked here waits at most `waitMs`, in
 * order, and is then sent ({@link release}) or rejected with a
 * `ConnectionError` whose `code` and message name the cause (ECONNREFUSED,
 * ENOTFOUND, ETIMEDOUT, WRONGPASS, NOAUTH...) and say that nothing was sent.
 * Used by the bus's standalone client (bus-client.ts) and its Cluster client
 * (cluster/bus-cluster.ts).
 */
import type { Command } from 'ioredis';
import { ConnectionError } from '../errors.js';
import { codeOf } from './redis-errors.js';

interface Parked {
  readonly command: Command;
  readonly stream: unknown;
  readonly timer: NodeJS.Timeout;
}

/** The parked commands of one client. */
export class ConnectionWait {
  /** The last socket or server error since the connection was last ready. */
  lastFailure: Error | undefined;
  private readonly parked: Parked[] = [];

  constructor(
    /** How long a command waits. */
    readonly waitMs: number,
    /** The redacted address, for messages. */
    private readonly label: string,
    /** The client's status, for messages. */
    private readonly status: () => string,
  ) {}

  /** Holds `command` until {@link release}, or rejects it after `waitMs`. */
  park(command: Command, stream: unknown): Promise<unknown> {
    const timer = setTimeout(() => this.giveUp(command), this.waitMs);
    this.parked.push({ command, stream, timer });
    return command.promise;
  }

  /** Sends every parked command with `send`, in order (the connection is ready). */
  release(send: (command: Command, stream: unknown) => unknown): void {
    for (const { command, stream, timer } of this.parked.splice(0)) {
      clearTimeout(timer);
      send(command, stream);
    }
  }

  /** Rejects every parked command with `error`. */
  rejectAll(error: Error): void {
    for (const { command, timer } of this.parked.splice(0)) {
      clearTimeout(timer);
      command.reject(error);
    }
  }

  /** The error of a command that was not sent: `what` happened, and what to check. */
  notSent(what: string, code?: string): ConnectionError {
    return new ConnectionError(
      `${what}; the command was not sent. Check that Redis runs at that address and that the credentials are right ` +
        `(waited ${this.waitMs} ms: the bus option connectTimeoutMs)`,
      { code },
    );
  }

  private giveUp(command: Command): void {
    const index = this.parked.findIndex((p) => p.command === command);
    if (index < 0) return;
    this.parked.splice(index, 1);
    const cause = this.lastFailure;
    const why = cause
      ? cause.message
      : `ETIMEDOUT: no connection within ${this.waitMs} ms (status ${this.status()})`;
    command.reject(
      this.notSent(
        `Redis at ${this.label} is not reachable (${why})`,
        cause ? codeOf(cause) : 'ETIMEDOUT',
      ),
    );
  }
}
