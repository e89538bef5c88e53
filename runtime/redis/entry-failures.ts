/**
 * What a consumer does with entries that failed or vanished: record a
 * failure for a retry, dead-letter (atomically, XADD before XACK: see
 * scripts/dead-letter.lua), count losses, and leave the group cleanly.
 */
import type { DeadLetterReason, Envelope } from '../bus.js';
import type { CatalogGroup } from '../catalog.js';
import { deliveryFields, logDeadLettered } from '../internal/log-fields.js';
import { MAX_ERROR_LENGTH } from '../internal/logger.js';
import type { BusContext } from './bus-context.js';
import { failureField, type StreamKeys } from './keys.js';
import { readError } from './redis-errors.js';

/** Failure recording, dead-lettering and loss counting of one consumer on one stream. */
export class EntryFailures {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: BusContext,
    private readonly group: CatalogGroup,
    private readonly keys: StreamKeys,
    private readonly consumer: string,
  ) {}

  /** Resolves once every failure being recorded has been sent. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  /**
   * Records a failed delivery to be retried after `delayMs` (or dead-letters
   * it when Redis counts its deliveries used up). Returns when the retry is
   * due; `null` when the record could not be written (the entry stays
   * pending and the claimer retries it after claimIdleMs); `undefined` when
   * there is no retry here. Never rejects.
   */
  retry(
    id: string,
    error: string,
    delayMs: number,
    type: string,
  ): Promise<number | null | undefined> {
    const { command } = this.ctx.connections;
    const work = command
      .schemabusFail(
        this.keys.stream,
        this.keys.dlq,
        this.keys.failures,
        this.group.name,
        this.consumer,
        id,
        error.slice(0, MAX_ERROR_LENGTH),
        new Date().toISOString(),
        delayMs,
        this.group.retry.maxAttempts,
        this.group.dlq ? '1' : '0',
      )
      .then(([outcome, deliveries]) => {
        if (outcome === 1) {
          this.ctx.stats.retried++;
          this.ctx.metrics.consumed(this.group.stream, this.group.name, type, 'retried');
          return Date.now() + delayMs + 2;
        }
        if (outcome === 2) this.countDeadLettered(id, 'exhausted', Number(deliveries), type);
        else if (outcome === 3) this.countLost(id, type);
        return undefined;
      })
      .catch((e: unknown) => {
        this.ctx.logger.warn(
          {
            ...this.where(id),
            error: readError(e, 'recording a failure', this.ctx.connections.label).message,
          },
          `could not record the failure; the entry stays pending and is retried after claimIdleMs (${this.group.claimIdleMs} ms)`,
        );
        return null;
      });
    return this.track(work);
  }

  /**
   * Moves a pending entry this consumer owns to the DLQ (or only acks it
   * when the group's `dlq` is off); an entry another consumer took over is
   * left to that consumer. Resolves `false` when Redis could not be asked
   * (the entry stays pending here), else `true`. Never rejects.
   */
  deadLetter(
    id: string,
    reason: DeadLetterReason,
    error: string,
    deliveries: number,
    type: string | undefined,
    envelope?: Envelope,
  ): Promise<boolean> {
    const work = this.ctx.connections.command
      .schemabusDeadLetter(
        this.keys.stream,
        this.keys.dlq,
        this.keys.failures,
        this.group.name,
        this.consumer,
        id,
        reason,
        error.slice(0, MAX_ERROR_LENGTH),
        deliveries,
        new Date().toISOString(),
        this.group.dlq ? '1' : '0',
      )
      .then((moved) => {
        if (moved === 1) {
          this.countDeadLettered(id, reason, deliveries, type, undefined, error, envelope);
        } else if (moved === -1) this.countLost(id, type);
        else if (moved === 2) {
          this.ctx.logger.warn(
            { ...this.where(id), reason },
            'not dead-lettered: another consumer took the entry over (this one looked dead) and handles it now',
          );
        }
        return true;
      })
      .catch((e: unknown) => {
        this.ctx.logger.warn(
          {
            ...this.where(id),
            reason,
            error: readError(e, 'dead-lettering', this.ctx.connections.label).message,
          },
          'could not dead-letter the entry; it stays pending and is handled again after claimIdleMs',
        );
        return false;
      });
    return this.track(work);
  }

  /** An entry deleted while pending, seen by a read: ack it and count the loss. */
  lost(id: string): void {
    const { command } = this.ctx.connections;
    const work = Promise.all([
      command.xack(this.keys.stream, this.group.name, id),
      command.hdel(this.keys.failures, failureField(this.group.name, id)),
    ]).catch(() => undefined);
    this.track(work);
    this.countLost(id);
  }

  countLost(id: string, type = ''): void {
    this.ctx.stats.lost++;
    this.ctx.metrics.consumed(this.group.stream, this.group.name, type, 'lost');
    this.ctx.logger.warn(
      this.where(id),
      'a pending entry was deleted or trimmed before it was handled: counted as lost',
    );
  }

  countDeadLettered(
    id: string,
    reason: DeadLetterReason,
    deliveries: number,
    type?: string,
    owner?: string,
    error?: string,
    envelope?: Envelope,
  ): void {
    this.ctx.stats.deadLettered++;
    this.ctx.metrics.consumed(this.group.stream, this.group.name, type ?? '', 'dead_lettered');
    const site = { stream: this.group.stream, group: this.group.name, consumer: this.consumer };
    const fields = deliveryFields(site, id, envelope, deliveries, type);
    logDeadLettered(
      this.ctx.logger,
      owner === undefined ? fields : ({ ...fields, owner } as typeof fields),
      {
        reason,
        error,
        dlq: this.group.dlq,
      },
    );
  }

  /** Deletes this consumer from the group if it holds no pending entry (never one that does). */
  async releaseConsumer(): Promise<void> {
    try {
      await this.ctx.connections.command.schemabusReleaseConsumer(
        this.keys.stream,
        this.group.name,
        this.consumer,
      );
    } catch {
      // Best effort: a leftover consumer with nothing pending is harmless.
    }
  }

  private where(id: string) {
    return {
      group: this.group.name,
      stream: this.group.stream,
      consumer: this.consumer,
      entryId: id,
    };
  }
}
