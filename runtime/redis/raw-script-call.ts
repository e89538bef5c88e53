/**
 * A script call whose arguments the caller has already written as RESP.
 *
 * ioredis builds a command from an argument array: it copies the array
 * twice, flattens it, checks every argument's type, then concatenates the
 * wire form. For a batch of appends (hundreds of arguments) that is a third
 * of the publishing process's time per event; writing each argument's RESP
 * once, as the entry is appended, costs about a third of it. The command
 * still goes through `sendCommand`, so reply order, the offline queue,
 * reconnects and errors stay ioredis's; on a Cluster it is routed to the
 * slot of its first key (every key of a call shares the stream's hash tag),
 * and MOVED, ASK, TRYAGAIN and CLUSTERDOWN are followed as for any command.
 *
 * Like ioredis's own scripts, the first call on a connection sends EVAL (the
 * body), later ones EVALSHA; a NOSCRIPT reply (the server restarted or
 * flushed its scripts, or a failover made a replica the master) resends the
 * call as EVAL.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';
import { RoutedCommand } from './routed-command.js';

/** The RESP of one bulk-string argument. */
export function respArg(value: string): string {
  return `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
}

/** A Lua script that can be called with pre-written arguments. */
export class RawScript {
  private readonly sha: string;
  /** Sockets that have run the script once (so EVALSHA finds it). */
  private readonly loadedOn = new WeakSet<object>();

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /**
   * Calls the script with `keys` and `argc` further arguments whose RESP is
   * `args`; resolves with the reply (strings as UTF-8). `sent` hears of every
   * command that carries the call (a second one after NOSCRIPT), to learn
   * which connection it went on.
   */
  call(
    client: RedisClient,
    keys: readonly string[],
    argc: number,
    args: string,
    sent?: (command: RoutedCommand) => void,
  ): Promise<unknown> {
    let tail = respArg(String(keys.length));
    for (const key of keys) tail += respArg(key);
    tail += args;
    const count = argc + keys.length + 3;
    const first = new RawScriptCall(this, count, tail, keys[0]!);
    sent?.(first);
    return (client.sendCommand(first) as Promise<unknown>).catch((error: unknown) => {
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      // The server lost its scripts (restart, SCRIPT FLUSH): send the body again.
      if (first.socket !== undefined) this.loadedOn.delete(first.socket);
      const again = new RawScriptCall(this, count, tail, keys[0]!);
      sent?.(again);
      return client.sendCommand(again) as Promise<unknown>;
    });
  }

  /** The wire form of a call on `socket`: EVAL the first time, EVALSHA after. */
  wireForm(socket: object, count: number, tail: string): string {
    if (this.loadedOn.has(socket)) {
      return `*${count}\r\n$7\r\nevalsha\r\n$40\r\n${this.sha}\r\n${tail}`;
    }
    this.loadedOn.add(socket);
    return `*${count}\r\n$4\r\neval\r\n${respArg(this.lua)}${tail}`;
  }
}

class RawScriptCall extends RoutedCommand {
  constructor(
    private readonly script: RawScript,
    /** Array length: the verb, the script or its sha, numkeys, the keys and the arguments. */
    private readonly count: number,
    private readonly tail: string,
    key: string,
  ) {
    // No arguments for ioredis to see: the wire form is written below; the key routes it.
    super('evalsha', [], key);
  }

  override toWritable(socket: object): string {
    this.noteWritten(socket);
    return this.script.wireForm(socket, this.count, this.tail);
  }
}
