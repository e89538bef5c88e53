/**
 * Publishing: validate, build the envelope, check its size, then one round
 * trip — XADD (the stream-only XADDs of one tick batched per stream into one
 * script call, see append-batcher.ts), a script doing XADD then PUBLISH for a
 * stream event that is also realtime (so a refused XADD publishes nothing on
 * the channel), PUBLISH alone for a realtime-only event, or the
 * idempotent-publish script. A publish resolves once Redis replied; a
 * connection failure after sending is reported as
 * `PublishOutcomeUnknownError` (stored or not: nobody can tell).
 *
 * Durability is the server's: an acknowledged publish survives a crash only
 * with `appendonly yes` + `appendfsync always` on one node; `everysec` can
 * lose about a second of writes; with replicas it is best effort.
 */
import type { BatchItem, Published, PublishMeta } from '../bus.js';
import { ValidationError } from '../errors.js';
import { type EntryFields, recordToFields } from '../internal/entry-fields.js';
import { AppendBatcher } from './append-batcher.js';
import { type BusContext, streamOf } from './bus-context.js';
import { OfflineGate } from './offline-gate.js';
import { PendingBatch, PendingPublish, type PublishOutcomes } from './pending-publish.js';
import {
  describe,
  entryIdOf,
  type Prepared,
  type PublishCommands,
  prepareEvent,
  publishCommand,
} from './prepared-publish.js';
import { writeError } from './redis-errors.js';
import type { RetentionKeeper } from './retention-keeper.js';

/** Idempotent publish: one entry per event id and stream while the marker lives. */
export interface IdempotentPublishOptions {
  /** How long an event id is remembered. @default 86400000 (24 h) */
  readonly ttlMs?: number | undefined;
}

/** The publishing side of a RedisEventBus. */
export class Publisher implements PublishOutcomes {
  private readonly gate: OfflineGate;
  private readonly dedupTtlMs: number | undefined;
  /** Stream-only events of one tick go out as one command per stream. */
  private readonly batcher: AppendBatcher;

  constructor(
    private readonly ctx: BusContext,
    private readonly retention: RetentionKeeper,
    maxOfflineQueue: number,
    idempotent: boolean | IdempotentPublishOptions | undefined,
  ) {
    this.gate = new OfflineGate(ctx.connections.command, maxOfflineQueue, ctx.connections.label);
    this.batcher = new AppendBatcher(ctx.connections.command);
    this.dedupTtlMs =
      idempotent === true ? 86_400_000 : idempotent ? (idempotent.ttlMs ?? 86_400_000) : undefined;
  }

  publish(type: string, data: unknown, meta?: PublishMeta): Promise<Published> {
    let prepared: Prepared;
    try {
      prepared = prepareEvent(this.ctx, type, data, meta);
    } catch (error) {
      return Promise.reject(error);
    }
    // Fast path, a stream-only event while connected: batched with the other
    // XADDs of this tick; one promise per publish, no async frame.
    if (this.batchable(prepared)) {
      const pending = new PendingPublish(this, prepared);
      const promise = new Promise<Published>((resolve, reject) => {
        pending.resolve = resolve;
        pending.reject = reject;
      });
      try {
        this.batcher.append(prepared.stream!.key, prepared.fields!, pending, 0);
      } catch (error) {
        pending.appended(0, undefined, error);
      }
      return promise;
    }
    return this.publishOne(prepared);
  }

  /** A stream-only, non-idempotent event, on a ready connection. */
  private batchable(p: Prepared): boolean {
    return (
      p.stream !== undefined &&
      p.channel === undefined &&
      this.dedupTtlMs === undefined &&
      this.ctx.connections.command.status === 'ready'
    );
  }

  private async publishOne(prepared: Prepared): Promise<Published> {
    // Appends batched earlier in this tick go first: commands reach Redis in publish order.
    this.batcher.flush();
    const release = this.admit(prepared, 1);
    try {
      const entryId = await this.send(prepared);
      return this.done(prepared, entryId);
    } catch (error) {
      throw this.failed([prepared], error);
    } finally {
      release();
    }
  }

  async publishBatch(items: readonly BatchItem[]): Promise<Published[]> {
    const prepared = items.map((item) => prepareEvent(this.ctx, item.type, item.data, item.meta));
    if (prepared.length === 0) return [];
    if (prepared.every((p) => this.batchable(p))) return this.appendBatch(prepared);
    this.batcher.flush();
    const release = this.admit(prepared[0]!, prepared.length);
    // One command per event, all issued now, so they go out back to back in order (no
    // Pipeline: on a Cluster one may span several masters; see also AckBatcher.sendOn).
    let replies: PromiseSettledResult<string | undefined>[];
    try {
      replies = await Promise.allSettled(prepared.map((p) => this.send(p)));
    } finally {
      release();
    }
    const entryIds: (string | undefined)[] = [];
    const errors: unknown[] = [];
    replies.forEach((reply, i) => {
      if (reply.status === 'rejected') errors[i] = reply.reason ?? new Error('no reply from Redis');
      else entryIds[i] = reply.value;
    });
    return this.batchOutcome(prepared, entryIds, errors);
  }

  /**
   * publishBatch of stream-only events: through the batcher, so one script
   * call per stream (shared with the other publishes of the tick) and one
   * promise for the batch. An entry Redis refused fails the batch, after the
   * others were stored, as the pipeline path does.
   */
  private appendBatch(prepared: readonly Prepared[]): Promise<Published[]> {
    const pending = new PendingBatch(this, prepared);
    const promise = new Promise<Published[]>((resolve, reject) => {
      pending.resolve = resolve;
      pending.reject = reject;
    });
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i]!;
      try {
        this.batcher.append(p.stream!.key, p.fields!, pending, i);
      } catch (error) {
        // Not appended (the ones before were): these fail, and the batch says how many.
        for (let j = i; j < prepared.length; j++) pending.appended(j, undefined, error);
        break;
      }
    }
    return promise;
  }

  /**
   * The value of a batch whose events settled: every event stored, or the
   * error naming how many failed (`entryIds[i]` undefined and `errors[i]`
   * set for a failed one).
   */
  batchOutcome(
    prepared: readonly Prepared[],
    entryIds: readonly (string | undefined)[],
    errors: readonly unknown[],
  ): Published[] {
    const results: Published[] = [];
    const failed: Prepared[] = [];
    let firstError: unknown;
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i]!;
      if (errors[i] === undefined) {
        results.push(this.done(p, entryIds[i]));
      } else {
        firstError ??= errors[i];
        failed.push(p);
      }
    }
    if (failed.length > 0)
      throw this.batchError(failed, prepared.length, results.length, firstError);
    return results;
  }

  private batchError(failed: Prepared[], total: number, stored: number, cause: unknown): Error {
    const error = this.failed(failed, cause);
    error.message = `${failed.length} of ${total} events of the batch failed (the other ${stored} were stored): ${error.message}`;
    return error;
  }

  /** Stores `fields` as they are on `streamName`, bypassing validation (tests, migrations, tools). */
  async appendRaw(streamName: string, fields: EntryFields): Promise<string> {
    const stream = streamOf(this.ctx.catalog, streamName);
    this.batcher.flush();
    try {
      const id = await this.ctx.connections.command.xadd(
        stream.key,
        '*',
        ...recordToFields(fields),
      );
      this.retention.notePublish(stream);
      return id as string;
    } catch (error) {
      throw writeError(error, `appendRaw to stream "${streamName}"`, this.ctx.connections.label);
    }
  }

  private admit(first: Prepared, n: number): () => void {
    try {
      return this.gate.admit(n);
    } catch (error) {
      this.ctx.stats.publishFailed += n;
      this.ctx.metrics.published(first.envelope.type, 'failed', n);
      throw error;
    }
  }

  /** Sends the one command of `p`; resolves with the entry id when it has a stream. */
  private async send(p: Prepared): Promise<string | undefined> {
    const [name, args] = publishCommand(p, this.dedupTtlMs);
    const commands = this.ctx.connections.command as unknown as PublishCommands;
    const reply = await commands[name](...args);
    return p.stream ? entryIdOf(reply) : undefined;
  }

  /** Counts a stored event and makes its `Published`. */
  done(p: Prepared, entryId: string | undefined): Published {
    const { stats, metrics } = this.ctx;
    stats.published++;
    metrics.published(p.envelope.type, 'ok');
    if (p.channel) {
      stats.realtimeSent++;
      metrics.realtime(p.channelDef ?? p.channel, 'sent');
    }
    if (p.stream) this.retention.notePublish(p.stream);
    const published: { -readonly [K in keyof Published]: Published[K] } = {
      id: p.envelope.id,
      type: p.envelope.type,
    };
    if (p.stream && entryId !== undefined) {
      published.entryId = entryId;
      this.ctx.losses.seen(p.stream.key, entryId);
      published.stream = p.stream.name;
    }
    if (p.channel) published.channel = p.channel;
    return published;
  }

  /** Counts failed events and makes the error their publish rejects with. */
  failed(prepared: readonly Prepared[], error: unknown): Error {
    if (error instanceof ValidationError) return error;
    const wrapped = writeError(error, describe(prepared), this.ctx.connections.label);
    this.ctx.stats.publishFailed += prepared.length;
    for (const p of prepared) this.ctx.metrics.published(p.envelope.type, 'failed');
    return wrapped;
  }
}
