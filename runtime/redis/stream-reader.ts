/**
 * The blocking reader of one consumer on one stream: its own connection
 * (`duplicate()`, see connection.ts), `XREADGROUP ... BLOCK blockMs`, and a
 * watchdog. A blocking command's promise can stay unsettled forever after a
 * reconnect (ioredis issues 610, 1285, 1718: a half-open socket, or a
 * command dropped from its queues); when a read has not settled
 * `watchdogGraceMs` after its BLOCK should have ended (and the connection
 * claims to be ready), the reader kills that client on the server
 * (`CLIENT KILL ID`, so nothing more can be served to it), drops the
 * connection and opens a new one. Entries the old read may have taken are
 * pending for this consumer: `onReconnect` makes the consumer re-read its
 * own pending list, as after every reconnect.
 *
 * On a Redis Cluster the connection goes to the master of the stream's slot
 * and follows it (cluster/cluster-links.ts): a read answered MOVED or ASK
 * reconnects it to the node named (a move is a reconnect: the own pending
 * list is re-read), UNBLOCKED (its master became a replica, or the key
 * migrated away), TRYAGAIN and CLUSTERDOWN are read again after a moment;
 * only when that goes on for {@link REDIRECTS_QUIET_MS} is it reported as a
 * failed read.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../bus.js';
import type { AckBatcher } from './ack-batcher.js';
import type { Connections } from './connections.js';
import { delay } from './delay.js';

/** One entry as XREADGROUP returns it; `fields` is null for an entry deleted while pending. */
export type RawEntry = [id: string, fields: string[] | null];

/** A read that did not settle in time, or was redirected: no entries, read again. */
export const HUNG = Symbol('hung');

/** How long a Cluster may keep redirecting reads before the read loop hears of it as a failure. */
const REDIRECTS_QUIET_MS = 3000;

/** The part of a socket used to write several commands at once. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

type StreamsReply = [key: string, entries: RawEntry[]][] | null;

/** Where and how one reader reads. */
export interface ReaderSettings {
  /** Connection name (CLIENT SETNAME), e.g. `schemabus:<group>:<consumer>`. */
  readonly name: string;
  readonly key: string;
  readonly group: string;
  readonly consumer: string;
  readonly blockMs: number;
  readonly watchdogGraceMs: number;
}

/** What the reader tells its consumer. */
export interface ReaderEvents {
  /** After every reconnect (not the first connect) and every watchdog recovery. */
  reconnected(): void;
  /** The reader's connection failed (it reconnects by itself). */
  failed(error: Error): void;
}

/** The blocking reader of one consumer on one stream, with its watchdog. */
export class StreamReader {
  private client: Redis;
  private clientId: number | undefined;
  private unidentified = true;
  private reading = false;
  private closed = false;
  /** Since when reads have been redirected without a successful one (0: they are not). */
  private redirectedSince = 0;
  /** Watchdog recoveries so far. */
  recoveries = 0;

  constructor(
    private readonly connections: Connections,
    private readonly settings: ReaderSettings,
    private readonly logger: Logger,
    private readonly events: ReaderEvents,
  ) {
    this.client = this.open();
  }

  private open(): Redis {
    const client = this.connections.reader(this.settings.name, this.settings.key);
    let readies = 0;
    client.on('close', () => {
      if (client === this.client) this.clientId = undefined;
    });
    client.on('error', (error: Error) => {
      if (client === this.client && !this.closed) this.events.failed(error);
    });
    client.on('ready', () => {
      if (client !== this.client) return;
      this.unidentified = true;
      // The first `ready` is the connect the consumer's initial re-read already covers.
      if (readies++ > 0) this.events.reconnected();
    });
    return client;
  }

  /**
   * `XREADGROUP ... COUNT count BLOCK blockMs STREAMS key >`, sent right after
   * the queued acks. Returns the new entries, or HUNG after a watchdog
   * recovery (entries the abandoned read returns late are passed to `late`).
   */
  async readNew(
    count: number,
    acks: AckBatcher,
    late: (entries: RawEntry[]) => void,
  ): Promise<RawEntry[] | typeof HUNG> {
    await this.identify();
    const { group, consumer, blockMs, key } = this.settings;
    const args = [
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      key,
      '>',
    ] as const;
    // While its slot migrates to the reader's node, ASKING goes right before the read (acks
    // then go on the command connection, which follows ASK by itself).
    const asking = this.connections.asking(this.client);
    const batch = asking ? undefined : acks.take();
    let settled = false;
    const giveBack = () => {
      if (batch !== undefined && !settled) {
        settled = true;
        acks.restore(batch);
      }
    };
    let promise: Promise<StreamsReply>;
    if (batch === undefined) {
      if (asking) this.client.asking().catch(() => undefined);
      promise = this.client.xreadgroup(...args) as Promise<StreamsReply>;
    } else {
      // The acks and the read go out back to back on this connection (one round trip), as
      // plain commands: see AckBatcher.sendOn for why not a Pipeline. Corked, so both
      // leave in one socket write, as a pipeline's would.
      const socket = (this.client as unknown as { stream?: Partial<Corkable> }).stream;
      const corked = typeof socket?.cork === 'function' && typeof socket.uncork === 'function';
      if (corked) socket.cork!();
      try {
        acks.sendOn(this.client, batch).then(() => {
          if (!settled) {
            settled = true;
            acks.confirm(batch);
          }
        }, giveBack);
        promise = this.client.xreadgroup(...args) as Promise<StreamsReply>;
      } finally {
        if (corked) socket.uncork!();
      }
    }
    this.reading = true;
    try {
      const reply = await this.guard(promise, blockMs, (r) => late(entriesOf(r)));
      if (reply === HUNG) {
        // Whether the acks reached Redis is unknown: send them again (XACK is idempotent).
        giveBack();
        return HUNG;
      }
      this.redirectedSince = 0;
      return entriesOf(reply);
    } catch (error) {
      if (!(await this.redirected(error))) throw error;
      giveBack();
      return HUNG;
    } finally {
      this.reading = false;
    }
  }

  /**
   * A read failed: whether it was a Cluster redirection the reader followed
   * (read again), or an error for the read loop (after REDIRECTS_QUIET_MS of
   * redirections too).
   */
  private async redirected(error: unknown): Promise<boolean> {
    if (!(await this.connections.followRedirect(this.client, error))) return false;
    const now = Date.now();
    if (this.redirectedSince === 0) this.redirectedSince = now;
    return now - this.redirectedSince < REDIRECTS_QUIET_MS;
  }

  /** Makes a blocked read return at once (on close). */
  async unblock(): Promise<void> {
    if (!this.reading || this.clientId === undefined) return;
    const server = this.connections.serverOf(this.client);
    await server?.client('UNBLOCK', this.clientId).catch(() => undefined);
  }

  /** Drops the connection: a read in flight is rejected at once. */
  close(): void {
    this.closed = true;
    this.connections.release(this.client, true);
  }

  /** Learns the server-side id of the connection after a (re)connect, for CLIENT UNBLOCK / KILL. */
  private async identify(): Promise<void> {
    if (!this.unidentified) return;
    const id = await this.guard(this.client.client('ID') as Promise<number>, 0, () => {});
    if (id === HUNG) return;
    this.clientId = Number(id);
    this.unidentified = false;
  }

  /** Races `promise` with the watchdog; on timeout replaces the connection and returns HUNG. */
  private async guard<T>(
    promise: Promise<T>,
    blockMs: number,
    late: (value: T) => void,
  ): Promise<T | typeof HUNG> {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<typeof HUNG>((resolve) => {
        timer = setTimeout(() => resolve(HUNG), blockMs + this.settings.watchdogGraceMs);
      });
      try {
        const result = await Promise.race([promise, timeout]);
        if (result !== HUNG) return result;
      } finally {
        clearTimeout(timer);
      }
      // Waiting for a reconnect is not a hang: the command is sent once the connection is back.
      if (this.client.status === 'ready' || this.closed) break;
    }
    promise.then(late, () => undefined);
    if (!this.closed) await this.recover();
    return HUNG;
  }

  private async recover(): Promise<void> {
    this.recoveries++;
    const old = this.client;
    const oldId = this.clientId;
    const { key, group, consumer, watchdogGraceMs } = this.settings;
    this.logger.warn(
      { key, group, consumer, graceMs: watchdogGraceMs },
      'blocking read did not return in time (hung connection?): reconnecting the reader',
    );
    const server = this.connections.serverOf(old);
    if (oldId !== undefined && server !== undefined) {
      // Kill the old client server-side first so no entry can be served to it after the re-read.
      const waited = new AbortController();
      await Promise.race([
        server.client('KILL', 'ID', oldId).catch(() => undefined),
        delay(1000, waited.signal),
      ]);
      waited.abort();
    }
    this.connections.release(old, true);
    this.clientId = undefined;
    this.unidentified = true;
    this.client = this.open();
    this.events.reconnected();
  }
}

function entriesOf(reply: StreamsReply): RawEntry[] {
  if (!reply) return [];
  // One reader reads one key: the reply's only stream is the list itself.
  if (reply.length === 1) return reply[0]![1];
  const out: RawEntry[] = [];
  for (const [, entries] of reply) for (const entry of entries) out.push(entry);
  return out;
}
