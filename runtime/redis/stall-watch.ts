/**
 * A command connection that stays open while nothing comes back on it (a
 * half-open TCP connection: a firewall or NAT that dropped the flow without
 * a reset, a peer that vanished) leaves every command sent on it waiting,
 * and ioredis none the wiser, for as long as TCP retransmits (15 minutes
 * and more on Linux): publishes, acks, claim scans, all of them.
 *
 * The watch notices: while commands written on the connection await their
 * replies (ioredis's `commandQueue`, the handshake's included) and nothing
 * has moved on it for `stallMs` (no chunk received, no byte of a command
 * handed to the kernel; a blocking command given to `bus.redis` waits by
 * design and is left alone), it asks Redis on a fresh connection of its own with what
 * the bus's own commands need, a script call (`EVAL "return 1" 0`, bounded
 * by `stallMs`). A script call waits wherever the bus's commands wait: behind
 * a long script (Redis answers `BUSY`), while loading (`LOADING`), under
 * `CLIENT PAUSE` (`WRITE` pauses scripts too), so those are taken for a busy
 * Redis and nothing is done. Any other answer (a refusal counts: Redis
 * answered) means Redis is free and the command connection is the broken
 * part: its socket is reset, ioredis reconnects and sends the unanswered
 * commands again (a write re-sent may be stored twice unless publishes are
 * idempotent, as after any lost reply). A command larger than the link sends
 * in stallMs shows no progress once the kernel holds it: after a reset that
 * no reply followed, the wait doubles (up to 32 x stallMs) until it covers
 * the upload. No answer at all: nothing is done
 * either (Redis stalls, or the network is down for everyone, which ioredis's
 * own reconnects handle).
 */
import { Command } from 'ioredis';
import type { Logger } from '../bus.js';
import type { BusClient } from './bus-client.js';
import { safeConnectionName } from './connection-defaults.js';

/** Default of the bus option `stallTimeoutMs`. */
export const DEFAULT_STALL_TIMEOUT_MS = 10_000;

/** The longest wait for progress, in multiples of stallMs, after resets no reply followed. */
const MAX_WAIT_FACTOR = 32;

/** Replies that say Redis is busy, not free: the bus's commands wait behind the same thing. */
const BUSY_REPLY = /^(BUSY|LOADING|MASTERDOWN)\b/;

/** Whether `name` may wait in Redis by design (a command given to `bus.redis` by its user). */
function waitsByDesign(name: string): boolean {
  return name === 'wait' || name === 'waitaof' || Command.checkFlag('BLOCKING_COMMANDS', name);
}

/** Watches one standalone command connection (see the module comment). */
export class StallWatch {
  private readonly timer: NodeJS.Timeout;
  /**
   * The connection's progress at the last check (chunks received plus bytes
   * handed to the kernel: a big command uploading slowly is progress too),
   * and since when it has not moved with commands unanswered.
   */
  private lastProgress = -1;
  private quietSince = 0;
  /**
   * How long no progress counts as a stall: stallMs, doubled after each
   * reset that no reply followed (a command uploading for longer than that
   * on a slow link shows no progress while the kernel sends it; the wait
   * grows past its upload time), back to stallMs once every command was answered.
   */
  private waitMs: number;
  private probing = false;

  constructor(
    private readonly client: BusClient,
    private readonly stallMs: number,
    private readonly logger: Logger,
    private readonly label: string,
  ) {
    this.waitMs = stallMs;
    client.trackProgress();
    this.timer = setInterval(
      // Never an unhandled rejection, whatever the logger does.
      () => void this.check().catch(() => undefined),
      Math.max(50, Math.floor(stallMs / 4)),
    );
    this.timer.unref?.();
  }

  /** Stops watching (the bus is closing). */
  stop(): void {
    clearInterval(this.timer);
  }

  /** Chunks received plus bytes the socket handed to the kernel. */
  private progress(): number {
    const socket = this.client.stream;
    const flushed = socket === undefined ? 0 : socket.bytesWritten - socket.writableLength;
    return this.client.received + flushed;
  }

  /**
   * Whether commands await replies on the connection (the handshake's too:
   * a connection cut right after its TCP connect hangs there) and it made no
   * progress since the last check. A blocking command there (the user's, on
   * `bus.redis`) waits by design: no stall.
   */
  private stalled(): boolean {
    const { client } = this;
    if (client.status !== 'ready' && client.status !== 'connect') return false;
    const queue = client.commandQueue;
    if (queue.length === 0 || this.progress() !== this.lastProgress) return false;
    for (let i = 0; i < queue.length; i++) {
      if (waitsByDesign(queue.peekAt(i)!.command.name)) return false;
    }
    return true;
  }

  private async check(): Promise<void> {
    if (this.probing) return;
    const now = Date.now();
    if (this.client.status === 'ready' && this.client.commandQueue.length === 0) {
      // Every command answered: the connection works; a stall is stallMs without progress again.
      this.waitMs = this.stallMs;
    }
    if (!this.stalled()) {
      this.lastProgress = this.progress();
      this.quietSince = now;
      return;
    }
    if (now - this.quietSince < this.waitMs) return;
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
      this.waitMs = Math.min(2 * this.waitMs, MAX_WAIT_FACTOR * this.stallMs);
    } finally {
      this.probing = false;
      this.lastProgress = this.progress();
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
