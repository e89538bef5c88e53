/**
 * A command connection that stays open while nothing comes back on it (a
 * half-open TCP connection: a firewall or NAT that dropped the flow without
 * a reset, a peer that vanished) leaves every command sent on it waiting,
 * and ioredis none the wiser, for as long as TCP retransmits (15 minutes
 * and more on Linux): publishes, acks, claim scans, all of them.
 *
 * The watch notices: while commands written on the connection await their
 * replies (ioredis's `commandQueue`) and nothing at all has arrived on it
 * for `stallMs`, it asks Redis on a fresh connection of its own with what
 * the bus's own commands need, a script call (`EVAL "return 1" 0`, bounded
 * by `stallMs`). A script call waits wherever the bus's commands wait: behind
 * a long script (Redis answers `BUSY`), while loading (`LOADING`), under
 * `CLIENT PAUSE` (`WRITE` pauses scripts too), so those are taken for a busy
 * Redis and nothing is done. Any other answer (a refusal counts: Redis
 * answered) means Redis is free and the command connection is the broken
 * part: its socket is reset, ioredis reconnects and sends the unanswered
 * commands again (a write re-sent may be stored twice unless publishes are
 * idempotent, as after any lost reply). No answer at all: nothing is done
 * either (Redis stalls, or the network is down for everyone, which ioredis's
 * own reconnects handle).
 */
import type { Logger } from '../bus.js';
import type { BusClient } from './bus-client.js';
import { safeConnectionName } from './connection-defaults.js';

/** Default of the bus option `stallTimeoutMs`. */
export const DEFAULT_STALL_TIMEOUT_MS = 10_000;

/** Replies that say Redis is busy, not free: the bus's commands wait behind the same thing. */
const BUSY_REPLY = /^(BUSY|LOADING|MASTERDOWN)\b/;

/** Watches one standalone command connection (see the module comment). */
export class StallWatch {
  private readonly timer: NodeJS.Timeout;
  /** `client.received` at the last check, and since when it has not moved with commands unanswered. */
  private lastReceived = -1;
  private quietSince = 0;
  private probing = false;

  constructor(
    private readonly client: BusClient,
    private readonly stallMs: number,
    private readonly logger: Logger,
    private readonly label: string,
  ) {
    client.trackProgress();
    this.timer = setInterval(() => void this.check(), Math.max(50, Math.floor(stallMs / 4)));
    this.timer.unref?.();
  }

  /** Stops watching (the bus is closing). */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Whether commands await replies on the connection and nothing arrived since the last check. */
  private stalled(): boolean {
    const { client } = this;
    return (
      client.status === 'ready' &&
      client.commandQueue.length > 0 &&
      client.received === this.lastReceived
    );
  }

  private async check(): Promise<void> {
    if (this.probing) return;
    const now = Date.now();
    if (!this.stalled()) {
      this.lastReceived = this.client.received;
      this.quietSince = now;
      return;
    }
    if (now - this.quietSince < this.stallMs) return;
    this.probing = true;
    try {
      const free = await this.redisIsFree();
      // Data the command socket received meanwhile is handled before this goes on.
      await new Promise((resolve) => setImmediate(resolve));
      if (!free || !this.stalled()) return;
      this.logger.warn(
        {
          redis: this.label,
          role: 'command',
          unanswered: this.client.commandQueue.length,
          quietMs: Date.now() - this.quietSince,
        },
        'the command connection got no reply while Redis answers on another connection: resetting it (its unanswered commands are sent again)',
      );
      this.client.stream?.destroy();
    } finally {
      this.probing = false;
      this.lastReceived = this.client.received;
      this.quietSince = Date.now();
    }
  }

  /**
   * Whether Redis runs a script call on a new connection within stallMs. A
   * refusal (NOPERM, READONLY...) is Redis answering; BUSY, LOADING and
   * MASTERDOWN, a timeout or a socket error are not.
   */
  private async redisIsFree(): Promise<boolean> {
    const probe = this.client.duplicate({
      connectionName: safeConnectionName(
        `${this.client.options.connectionName ?? 'schemabus'}:probe`,
      ),
      commandTimeout: this.stallMs,
      waitForConnectionMs: this.stallMs,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    try {
      await probe.eval('return 1', 0);
      return true;
    } catch (error) {
      const { name, message } = error as Error;
      return name === 'ReplyError' && !BUSY_REPLY.test(message);
    } finally {
      probe.disconnect();
    }
  }
}
