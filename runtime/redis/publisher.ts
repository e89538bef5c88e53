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
 * A stream event that waits for replicas (`waitForReplicas`) goes the same
 * way on a connection of its own, followed by WAIT (replicated-publish.ts);
 * it resolves once the replicas answered, with their count.
 *
 * Durability is the server's: an acknowledged publish survives a crash only
 * with `appendonly yes` + `appendfsync always` on one node; `everysec` can
 * lose about a second of writes; with replicas it is best effort, unless it
 * waited for them.
 */

import type { BatchItem, Published, PublishMeta, WaitForReplicas } from '../bus.js';
import { type EntryFields, recordToFields } from '../internal/entry-fields.js';
import { checkWaitForReplicas } from '../internal/envelope.js';
import { partitionForFields } from '../internal/partitions.js';
import { endPublishSpan } from '../internal/tracing.js';
import { AppendBatcher, type AppendReceiver } from './append-batcher.js';
import { type BusContext, streamOf } from './bus-context.js';
import { OfflineGate } from './offline-gate.js';
import { PendingBatch, PendingPublish } from './pending-publish.js';
import {
  entryIdOf,
  type Prepared,
  type PublishCommands,
  prepareEvent,
  publishCommand,
} from './prepared-publish.js';
import { PublishOutcomes } from './publish-outcomes.js';
import { writeError } from './redis-errors.js';
import { ReplicatedPublishes } from './replicated-publish.js';
import type { RetentionKeeper } from './retention-keeper.js';

/** Idempotent publish: one entry per event id and stream while the marker lives. */
export interface IdempotentPublishOptions {
  /** How long an event id is remembered. @default 86400000 (24 h) */
  readonly ttlMs?: number | undefined;
}

/** The outcome of one sent event: its entry id, and the replicas that acknowledged it if it waited. */
interface Sent {
  readonly entryId: string | undefined;
  readonly replicas: number | undefined;
}

/** The publishing side of a RedisEventBus. */
export class Publisher {
  private readonly gate: OfflineGate;
  private readonly dedupTtlMs: number | undefined;
  /** Stream-only events of one tick go out as one command per stream. */
  private readonly batcher: AppendBatcher;
  private readonly replicated: ReplicatedPublishes;
  private readonly outcomes: PublishOutcomes;

  constructor(
    private readonly ctx: BusContext,
    private readonly retention: RetentionKeeper,
    maxOfflineQueue: number,
    idempotent: boolean | IdempotentPublishOptions | undefined,
    /** Every stream publish waits for these replicas unless its meta says otherwise. */
    private readonly waitForReplicas: WaitForReplicas | undefined,
  ) {
    checkWaitForReplicas(waitForReplicas, 'the bus option waitForReplicas');
    this.gate = new OfflineGate(ctx.connections.command, maxOfflineQueue, ctx.connections.label);
    this.batcher = new AppendBatcher(ctx.connections.command);
    this.replicated = new ReplicatedPublishes(ctx.connections);
    this.outcomes = new PublishOutcomes(ctx, retention);
    this.dedupTtlMs =
      idempotent === true ? 86_400_000 : idempotent ? (idempotent.ttlMs ?? 86_400_000) : undefined;
  }

  publish(type: string, data: unknown, meta?: PublishMeta): Promise<Published> {
    let prepared: Prepared;
    try {
      prepared = this.prepare(type, data, meta);
    } catch (error) {
      return Promise.reject(error);
    }
    // Fast path, a stream-only event while connected: batched with the other
    // XADDs of this tick; one promise per publish, no async frame.
    if (this.batchable(prepared)) {
      const pending = new PendingPublish(this.outcomes, prepared);
      const promise = new Promise<Published>((resolve, reject) => {
        pending.resolve = resolve;
        pending.reject = reject;
      });
      try {
        this.append(prepared, pending, 0);
      } catch (error) {
        pending.appended(0, undefined, error);
      }
      return promise;
    }
    return this.publishOne(prepared);
  }

  private prepare(type: string, data: unknown, meta: PublishMeta | undefined): Prepared {
    return prepareEvent(this.ctx, type, data, meta, this.waitForReplicas);
  }

  /** A stream-only, non-idempotent event, on a ready connection. */
  private batchable(p: Prepared): boolean {
    return (
      p.stream !== undefined &&
      p.channel === undefined &&
      this.dedupTtlMs === undefined &&
      (p.wait === undefined
        ? this.ctx.connections.command.status === 'ready'
        : this.replicated.ready)
    );
  }

  /** Adds a batchable event to this tick's batch of its stream (and wait setting). */
  private append(p: Prepared, receiver: AppendReceiver, index: number): void {
    if (p.wait === undefined) this.batcher.append(p.key!, p.fields!, receiver, index);
    else this.replicated.append(p.wait, p.key!, p.fields!, receiver, index);
  }

  /** Sends the appends batched so far: before any other write, so commands reach Redis in publish order. */
  private flush(): void {
    this.batcher.flush();
    this.replicated.flush();
  }

  private async publishOne(prepared: Prepared): Promise<Published> {
    this.flush();
    const release = this.admit([prepared]);
    let sent: Sent;
    try {
      sent = await this.send(prepared);
    } catch (error) {
      throw this.outcomes.failed([prepared], error);
    } finally {
      release();
    }
    return this.outcomes.stored(prepared, sent.entryId, sent.replicas);
  }

  async publishBatch(items: readonly BatchItem[]): Promise<Published[]> {
    const prepared = this.prepareAll(items);
    if (prepared.length === 0) return [];
    if (prepared.every((p) => this.batchable(p))) return this.appendBatch(prepared);
    this.flush();
    const release = this.admit(prepared);
    // One command per event, all issued now, so they go out back to back in order (no
    // Pipeline: on a Cluster one may span several masters; see also AckBatcher.sendOn).
    let replies: PromiseSettledResult<Sent>[];
    try {
      replies = await Promise.allSettled(prepared.map((p) => this.send(p)));
    } finally {
      release();
    }
    const entryIds: (string | undefined)[] = [];
    const replicas: (number | undefined)[] = [];
    const errors: unknown[] = [];
    replies.forEach((reply, i) => {
      if (reply.status === 'rejected') errors[i] = reply.reason ?? new Error('no reply from Redis');
      else [entryIds[i], replicas[i]] = [reply.value.entryId, reply.value.replicas];
    });
    return this.outcomes.batch(prepared, entryIds, errors, replicas);
  }

  /**
   * publishBatch of stream-only events: through the batchers, so one script
   * call per stream (shared with the other publishes of the tick) and one
   * promise for the batch. An entry Redis refused fails the batch, after the
   * others were stored, as the one-command-per-event path does.
   */
  private appendBatch(prepared: readonly Prepared[]): Promise<Published[]> {
    const pending = new PendingBatch(this.outcomes, prepared);
    const promise = new Promise<Published[]>((resolve, reject) => {
      pending.resolve = resolve;
      pending.reject = reject;
    });
    for (let i = 0; i < prepared.length; i++) {
      try {
        this.append(prepared[i]!, pending, i);
      } catch (error) {
        // Not appended (the ones before were): these fail, and the batch says how many.
        for (let j = i; j < prepared.length; j++) pending.appended(j, undefined, error);
        break;
      }
    }
    return promise;
  }

  /** Stores `fields` as they are on `streamName`, bypassing validation (tests, migrations, tools). */
  async appendRaw(streamName: string, fields: EntryFields): Promise<string> {
    const stream = streamOf(this.ctx.catalog, streamName);
    const list = recordToFields(fields);
    const { key } = partitionForFields(stream, list);
    this.flush();
    try {
      const id = await this.ctx.connections.command.xadd(key, '*', ...list);
      this.retention.notePublish(stream, 1, key);
      return id as string;
    } catch (error) {
      throw writeError(error, `appendRaw to stream "${streamName}"`, this.ctx.connections.label);
    }
  }

  /** Admits the publishes through the offline gate, or fails them (nothing sent). */
  private admit(prepared: readonly Prepared[]): () => void {
    try {
      return this.gate.admit(prepared.length);
    } catch (error) {
      throw this.outcomes.failed(prepared, error);
    }
  }

  /** Every item prepared (validated, enveloped), or none: the first invalid one throws, the others' spans end. */
  private prepareAll(items: readonly BatchItem[]): Prepared[] {
    const prepared: Prepared[] = [];
    try {
      for (const item of items) prepared.push(this.prepare(item.type, item.data, item.meta));
    } catch (error) {
      for (const p of prepared) if (p.trace) endPublishSpan(p.trace, error);
      throw error;
    }
    return prepared;
  }

  /** Sends the one command of `p` (waiting for replicas when it asks to). */
  private async send(p: Prepared): Promise<Sent> {
    if (p.wait !== undefined) return this.replicated.send(p, this.dedupTtlMs, p.wait);
    const [name, args] = publishCommand(p, this.dedupTtlMs);
    const commands = this.ctx.connections.command as unknown as PublishCommands;
    const reply = await commands[name](...args);
    return { entryId: p.stream ? entryIdOf(reply) : undefined, replicas: undefined };
  }
}
