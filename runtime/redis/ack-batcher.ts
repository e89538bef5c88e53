/**
 * Batched acks of one consumer. An ack is queued only once its handler
 * resolved (or its entry was skipped); queued acks go out with the next read
 * (a plain XACK written just before the XREADGROUP on the reader connection:
 * one round trip) or, when no read comes soon, after `intervalMs` on the
 * command connection. No ioredis Pipeline: see {@link AckBatcher.sendOn}. XACK is idempotent, so
 * a batch whose reply was lost is simply sent again.
 */

import type { Logger } from '../bus.js';
import { delay } from './delay.js';
import { failureField, type StreamKeys } from './keys.js';
import type { RedisClient } from './redis-client.js';
import { readError } from './redis-errors.js';

/** Acks waiting to be sent. */
export interface AckBatch {
  readonly ids: string[];
  /** Failure records to delete with them (entries delivered more than once). */
  readonly records: string[];
}

/** The queued and in-flight acks of one consumer on one stream. */
export class AckBatcher {
  private ids: string[] = [];
  /** The same ids as `ids`, for {@link has} in O(1): it runs for every fetched entry. */
  private queued = new Set<string>();
  private records: string[] = [];
  /** Ids taken to be sent and not confirmed yet. */
  private readonly sending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly command: RedisClient,
    private readonly keys: StreamKeys,
    private readonly group: string,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    private readonly label: string,
  ) {}

  /** Queues the ack of `entryId`, delivered `deliveries` times. */
  add(entryId: string, deliveries: number): void {
    this.ids.push(entryId);
    this.queued.add(entryId);
    if (deliveries > 1) this.records.push(failureField(this.group, entryId));
    this.arm();
  }

  /** Starts the flush timer unless it runs already. */
  private arm(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
  }

  /**
   * Entries acked here but not confirmed by Redis yet: the consumer still
   * holds them (heartbeats keep them), so a claimer cannot take one whose ack
   * is delayed (say, on a reader connection that hung) and run it twice.
   */
  unconfirmed(): string[] {
    return [...this.ids, ...this.sending];
  }

  /** Whether the ack of `entryId` is queued or on its way. */
  has(entryId: string): boolean {
    return this.sending.has(entryId) || this.queued.has(entryId);
  }

  /**
   * Takes the queued acks to send them elsewhere (with a read); then call
   * {@link confirm} once Redis replied, or {@link restore} if that failed.
   */
  take(): AckBatch | undefined {
    if (this.ids.length === 0) return undefined;
    const batch = { ids: this.ids, records: this.records };
    this.ids = [];
    this.records = [];
    this.queued = new Set();
    for (const id of batch.ids) this.sending.add(id);
    return batch;
  }

  /** Redis applied `batch`. */
  confirm(batch: AckBatch): void {
    for (const id of batch.ids) this.sending.delete(id);
  }

  /** Puts back a batch whose sending failed or is unknown. */
  restore(batch: AckBatch): void {
    for (const id of batch.ids) {
      this.sending.delete(id);
      this.queued.add(id);
    }
    this.ids.push(...batch.ids);
    this.records.push(...batch.records);
    if (this.ids.length > 0) this.arm();
  }

  /**
   * Sends the commands of `batch` on `client` as plain commands; resolves
   * once Redis applied all of them, rejects if one failed. Not an ioredis
   * Pipeline: commands issued in one tick go out back to back on the
   * connection anyway, and a Pipeline of a client with the bus's scripts
   * defined copies every script onto itself (large objects the GC promotes:
   * the scavenge pauses behind the 1k/s p99).
   */
  sendOn(client: RedisClient, batch: AckBatch): Promise<unknown> {
    const xack = client.xack(this.keys.stream, this.group, ...batch.ids);
    if (batch.records.length === 0) return xack;
    return Promise.all([xack, client.hdel(this.keys.failures, ...batch.records)]);
  }

  /** Sends every queued ack now on the command connection; failures are logged and kept for the next flush. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.flushing) await this.flushing;
    const batch = this.take();
    if (batch === undefined) return;
    this.flushing = (async () => {
      try {
        await this.sendOn(this.command, batch);
        this.confirm(batch);
      } catch (error) {
        this.logger.warn(
          {
            key: this.keys.stream,
            group: this.group,
            count: batch.ids.length,
            error: readError(error, 'XACK', this.label).message,
          },
          'acks failed; they are sent again with the next flush',
        );
        this.restore(batch);
      } finally {
        this.flushing = undefined;
      }
    })();
    await this.flushing;
  }

  /**
   * For close: sends every queued ack, retrying failed flushes (with a short
   * backoff) until all are confirmed or `deadline` (ms since epoch) passed;
   * at least one flush is tried. Stops the timer and returns how many acks
   * are left unsent — their entries stay pending and are delivered again.
   */
  async flushBefore(deadline: number): Promise<number> {
    let pauseMs = 20;
    for (;;) {
      const left = deadline - Date.now();
      const expired = new AbortController();
      await Promise.race([this.flush(), delay(Math.max(0, left), expired.signal)]);
      expired.abort();
      const unsent = this.ids.length + this.sending.size;
      if (unsent === 0 || Date.now() >= deadline) {
        this.stop();
        return unsent;
      }
      await delay(Math.min(pauseMs, deadline - Date.now()));
      pauseMs = Math.min(500, pauseMs * 2);
    }
  }

  /** Stops the timer (acks still queued stay queued). */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
