/**
 * Publishes that wait for replicas (`waitForReplicas`, a bus option or a
 * publish's meta): sent on the bus's replicated-publish connection
 * (Connections.replicated: WAIT blocks the connection it goes on), each
 * write followed by a WAIT (replica-wait.ts) before the publish resolves
 * with how many replicas acknowledged it. Stream-only events of one tick are
 * batched as on the command connection (one batcher per wait setting); the
 * others go as the same scripts the command connection runs, written
 * through raw-script-call.ts so the connection that carried them is known.
 */
import type { WaitForReplicas } from '../bus.js';
import { AppendBatcher, type AppendReceiver } from './append-batcher.js';
import type { Connections } from './connections.js';
import { dedupKey } from './keys.js';
import { entryIdOf, type Prepared } from './prepared-publish.js';
import { RawScript, respArg } from './raw-script-call.js';
import type { RedisClient } from './redis-client.js';
import { ReplicaWaiter } from './replica-wait.js';
import { RoutedCommand } from './routed-command.js';
import { PUBLISH_ONCE_LUA, PUBLISH_REALTIME_LUA } from './scripts/lua.js';

const PUBLISH_ONCE = new RawScript(PUBLISH_ONCE_LUA);
const PUBLISH_REALTIME = new RawScript(PUBLISH_REALTIME_LUA);

/** A stored event and how many replicas acknowledged it. */
export interface ReplicatedWrite {
  readonly entryId: string | undefined;
  readonly replicas: number;
}

/** The replicated-publish side of a Publisher. */
export class ReplicatedPublishes {
  private opened: { client: RedisClient; waiter: ReplicaWaiter } | undefined;
  private readonly batchers = new Map<string, AppendBatcher>();

  constructor(private readonly connections: Connections) {}

  /** Whether its connection is ready (then stream-only events are batched). */
  get ready(): boolean {
    return this.connection().client.status === 'ready';
  }

  /** Appends `fields` to stream `key` in this tick's batch for `want`. */
  append(
    want: WaitForReplicas,
    key: string,
    fields: readonly string[],
    receiver: AppendReceiver,
    index: number,
  ): void {
    const id = `${want.replicas}:${want.timeoutMs}`;
    let batcher = this.batchers.get(id);
    if (batcher === undefined) {
      const { client, waiter } = this.connection();
      batcher = new AppendBatcher(client, (k, written, carrier) =>
        waiter.acknowledged(k, written, carrier, want),
      );
      this.batchers.set(id, batcher);
    }
    batcher.append(key, fields, receiver, index);
  }

  /** Sends every open batch now (before any other write, to keep publish order). */
  flush(): void {
    for (const batcher of this.batchers.values()) batcher.flush();
  }

  /** Sends one stream event (`p.key` set) and waits for `want` replicas. */
  async send(
    p: Prepared,
    dedupTtlMs: number | undefined,
    want: WaitForReplicas,
  ): Promise<ReplicatedWrite> {
    const { client, waiter } = this.connection();
    const key = p.key!;
    const fields = p.fields!;
    let carrier: RoutedCommand | undefined;
    const carried = (c: RoutedCommand) => {
      carrier = c;
    };
    let written: Promise<unknown>;
    if (dedupTtlMs !== undefined) {
      const args = [String(dedupTtlMs), p.channel ?? '', p.message ?? '', ...fields];
      const keys = [key, dedupKey(key, p.envelope.id)];
      written = PUBLISH_ONCE.call(client, keys, args.length, resp(args), carried);
    } else if (p.channel !== undefined) {
      const args = [p.channel, p.message!, ...fields];
      written = PUBLISH_REALTIME.call(client, [key], args.length, resp(args), carried);
    } else {
      const xadd = new RoutedCommand('xadd', [key, '*', ...fields], undefined);
      carried(xadd);
      written = client.sendCommand(xadd) as Promise<unknown>;
    }
    const replicas = waiter.acknowledged(key, written, () => carrier, want);
    const reply = await written;
    return { entryId: entryIdOf(reply), replicas: await replicas };
  }

  private connection(): { client: RedisClient; waiter: ReplicaWaiter } {
    if (this.opened === undefined) {
      const client = this.connections.replicated();
      this.opened = { client, waiter: new ReplicaWaiter(client) };
    }
    return this.opened;
  }
}

function resp(args: readonly string[]): string {
  let text = '';
  for (const arg of args) text += respArg(arg);
  return text;
}
