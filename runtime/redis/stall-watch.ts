/**
 * A command connection that stays open while nothing comes back on it (a
 * half-open TCP connection: a firewall or NAT that dropped the flow without
 * a reset, a peer that vanished) leaves every command sent on it waiting,
 * and ioredis none the wiser, for as long as TCP retransmits (15 minutes
 * and more on Linux): publishes, acks, claim scans, all of them.
 *
 * The watch notices: while commands are unanswered and nothing at all has
 * arrived on the connection for `stallMs`, it asks Redis on a connection of
 * its own (PING, bounded by `stallMs`). An answer (a refusal counts: Redis
 * answered) means Redis is up and not busy — a busy Redis, running a long
 * script or a DEBUG SLEEP, answers no one — so the command connection is
 * the broken part: its socket is reset, ioredis reconnects and sends the
 * unanswered commands again (a write re-sent may be stored twice unless
 * publishes are idempotent, as after any lost reply). No answer: nothing is
 * done (Redis stalls, or the network is down for everyone: ioredis's own
 * reconnects handle that).
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../bus.js';
import type { BusClient } from './bus-client.js';
import { safeConnectionName } from './connection-defaults.js';

/** Default of the bus option `stallTimeoutMs`. */
export const DEFAULT_STALL_TIMEOUT_MS = 10_000;

/** Watches one standalone command connection (see the module comment). */
export class StallWatch {
  private readonly timer: NodeJS.Timeout;
  /** `progress.received` at the last check, and since when it has not moved with commands unanswered. */
  private lastReceived = -1;
  private quietSince = 0;
  private probing = false;
  private probe: Redis | undefined;

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

  /** Stops watching and closes the probe connection (the bus is closing). */
  stop(): void {
    clearInterval(this.timer);
    this.probe?.disconnect();
    this.probe = undefined;
  }

  private async check(): Promise<void> {
    const { client } = this;
    const { outstanding, received } = client.progress;
    const now = Date.now();
    if (client.status !== 'ready' || outstanding === 0 || received !== this.lastReceived) {
      this.lastReceived = received;
      this.quietSince = now;
      return;
    }
    if (this.probing || now - this.quietSince < this.stallMs) return;
    this.probing = true;
    try {
      if (!(await this.redisAnswers())) return;
      // Still nothing on the command connection while Redis answered the probe.
      if (client.progress.received !== this.lastReceived || client.progress.outstanding === 0) {
        return;
      }
      if (client.status !== 'ready') return;
      this.logger.warn(
        {
          redis: this.label,
          role: 'command',
          unanswered: client.progress.outstanding,
          quietMs: Date.now() - this.quietSince,
        },
        'the command connection got no reply while Redis answers on another connection: resetting it (its unanswered commands are sent again)',
      );
      client.stream?.destroy();
    } finally {
      this.probing = false;
      this.quietSince = Date.now();
    }
  }

  /** Whether Redis answers a PING on the probe connection within stallMs (a refusal is an answer). */
  private async redisAnswers(): Promise<boolean> {
    this.probe ??= this.client.duplicate({
      connectionName: safeConnectionName(
        `${this.client.options.connectionName ?? 'schemabus'}:probe`,
      ),
      commandTimeout: this.stallMs,
      waitForConnectionMs: this.stallMs,
      maxRetriesPerRequest: 0,
    });
    try {
      await this.probe.ping();
      return true;
    } catch (error) {
      // A reply error (NOPERM, LOADING...) is Redis answering; a timeout or a socket error is not.
      return (error as Error).name === 'ReplyError';
    }
  }
}
