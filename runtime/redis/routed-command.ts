/**
 * Commands the bus builds itself, for two reasons:
 *
 * - **Routing on a Cluster.** ioredis routes a command to the slot of the
 *   keys it finds in it, and finds none in XGROUP and XINFO (subcommands)
 *   or in a script call whose RESP the bus wrote itself: sent at random, such
 *   a command comes back MOVED, costing a round trip and a refresh of the
 *   slot table each time. A {@link RoutedCommand} names its key.
 * - **Knowing which connection carried it.** `WAIT` counts the replicas
 *   that acknowledged the writes of the connection it is sent on, so a
 *   publish that waits for replicas must know that its WAIT went on the same
 *   socket as its write, after it (replica-wait.ts): every routed command
 *   records the socket it was written to and a sequence number.
 */
import { Command } from 'ioredis';
import type { RedisClient } from './redis-client.js';

type Arg = string | number;

/** Increases with every routed command written to a socket, in the order they are written. */
let written = 0;

/** A command routed by `key` on a Cluster, which records where and when it was written. */
export class RoutedCommand extends Command {
  /** The socket it was last written to (undefined until written). */
  socket: object | undefined;
  /** When it was last written, in the order of every routed command's writes. */
  seq = 0;

  constructor(
    name: string,
    args: readonly Arg[],
    /** The key whose slot it goes to; undefined: the keys ioredis finds itself. */
    private readonly routeKey: string | undefined,
  ) {
    super(name, args as Arg[], { replyEncoding: 'utf8' });
  }

  override getKeys(): Array<string | Buffer> {
    return this.routeKey === undefined ? super.getKeys() : [this.routeKey];
  }

  override toWritable(socket: object): string | Buffer {
    this.noteWritten(socket);
    return super.toWritable(socket);
  }

  /** Records that the command is being written to `socket` now. */
  protected noteWritten(socket: object): void {
    this.socket = socket;
    this.seq = ++written;
  }
}

/** Sends `name args` on `client`, routed to the slot of `key` on a Cluster; replies as UTF-8 strings. */
export function sendRouted<T = unknown>(
  client: RedisClient,
  key: string,
  name: string,
  args: readonly Arg[],
): Promise<T> {
  return client.sendCommand(new RoutedCommand(name, args, key)) as Promise<T>;
}
