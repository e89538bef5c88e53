/**
 * `WAIT numreplicas timeout` after publishes that ask for it
 * (`waitForReplicas`): Redis replies how many replicas acknowledged every
 * write the connection made before the WAIT. A script may not call WAIT,
 * and on a Cluster WAIT must reach the master that ran the write, on the
 * connection that carried it. So WAIT goes right after the writes of a tick,
 * one per stream (on a Cluster, routed to the stream's master), and its
 * count is believed for a write only when both were written to the same
 * socket with the WAIT after the write (routed-command.ts records both).
 * When not (the write was redirected, a connection was replaced), a second
 * WAIT goes on the connection that carried the write; when that connection
 * is gone, nobody can tell, and the write counts as acknowledged by 0.
 *
 * WAIT blocks its connection until enough replicas answered or the timeout
 * passed, so these publishes use a connection of their own (the bus's
 * replicated-publish connection): nothing else waits behind a slow replica.
 */
import type { Redis } from 'ioredis';
import type { WaitForReplicas } from '../bus.js';
import { isCluster, type RedisClient } from './redis-client.js';
import { RoutedCommand } from './routed-command.js';

interface Round {
  readonly wait: RoutedCommand;
  readonly reply: Promise<number>;
  /** Second WAITs per socket, for writes the first one did not follow. */
  readonly again: Map<object, Promise<number>>;
}

/** The WAITs of one connection (see the module comment). */
export class ReplicaWaiter {
  /** The WAIT each stream and option pair gets this tick, not sent yet. */
  private readonly rounds = new Map<string, Round>();
  /** Sends the WAITs of `rounds`, in the order they were asked for. */
  private readonly sends: (() => void)[] = [];

  constructor(private readonly client: RedisClient) {}

  /**
   * How many replicas acknowledged the write to `key` sent just now (`write`:
   * the command that carried it, asked once `written` settled), or 0 when it
   * failed or nobody can tell.
   */
  async acknowledged(
    key: string,
    written: Promise<unknown>,
    carrier: () => RoutedCommand | undefined,
    want: WaitForReplicas,
  ): Promise<number> {
    const round = this.round(key, want);
    const ok = await written.then(
      () => true,
      () => false,
    );
    const write = carrier();
    if (!ok || write === undefined) return 0;
    const count = await round.reply.catch(() => undefined);
    if (count !== undefined && followed(write, round.wait)) return count;
    const socket = write.socket;
    if (socket === undefined) return 0;
    let again = round.again.get(socket);
    if (again === undefined) {
      again = this.waitOn(socket, write, want);
      round.again.set(socket, again);
    }
    return again;
  }

  /** The WAIT for `key` and `want` of this tick (sent once the tick's writes went out). */
  private round(key: string, want: WaitForReplicas): Round {
    const id = `${want.replicas}:${want.timeoutMs}:${key}`;
    let round = this.rounds.get(id);
    if (round === undefined) {
      const wait = new RoutedCommand('wait', [want.replicas, want.timeoutMs], key);
      const reply = new Promise<number>((resolve, reject) => {
        this.sends.push(() =>
          (this.client.sendCommand(wait) as Promise<number>).then(resolve, reject),
        );
      });
      reply.catch(() => undefined);
      round = { wait, reply, again: new Map() };
      this.rounds.set(id, round);
      // After the writes of this tick: the batched appends go out on an earlier microtask.
      if (this.sends.length === 1) queueMicrotask(this.sendAll);
    }
    return round;
  }

  private readonly sendAll = (): void => {
    this.rounds.clear();
    for (const send of this.sends.splice(0)) send();
  };

  /** A WAIT on the connection whose socket is `socket`, if it is still there; else 0. */
  private async waitOn(
    socket: object,
    write: RoutedCommand,
    want: WaitForReplicas,
  ): Promise<number> {
    const connection = this.connectionOf(socket);
    if (connection === undefined) return 0;
    const wait = new RoutedCommand('wait', [want.replicas, want.timeoutMs], undefined);
    const count = await (connection.sendCommand(wait) as Promise<number>).catch(() => 0);
    return followed(write, wait) ? count : 0;
  }

  /** The single-node connection whose current socket is `socket`. */
  private connectionOf(socket: object): Redis | undefined {
    const candidates = isCluster(this.client) ? this.client.nodes('all') : [this.client];
    return candidates.find((c) => (c as unknown as { stream?: object }).stream === socket);
  }
}

/** Whether `wait` was written after `write`, to the same socket. */
function followed(write: RoutedCommand, wait: RoutedCommand): boolean {
  return write.socket !== undefined && wait.socket === write.socket && wait.seq > write.seq;
}
