/**
 * What a settled publish becomes: its `Published` (counted in stats and
 * metrics, noted for retention and the loss watch), `UnderReplicatedError`
 * when it was stored but fewer replicas than asked acknowledged it, or the
 * error it failed with (`ConnectionError` when Redis refused it,
 * `PublishOutcomeUnknownError` when it may have been stored: redis-errors.ts).
 */
import type { Published } from '../bus.js';
import { UnderReplicatedError, ValidationError } from '../errors.js';
import { endPublishSpan } from '../internal/tracing.js';
import type { BusContext } from './bus-context.js';
import { describe, type Prepared } from './prepared-publish.js';
import { writeError } from './redis-errors.js';
import type { RetentionKeeper } from './retention-keeper.js';

/** The outcomes of one bus's publishes. */
export class PublishOutcomes {
  constructor(
    private readonly ctx: BusContext,
    private readonly retention: RetentionKeeper,
  ) {}

  /** The value of one stored event, or UnderReplicatedError. */
  stored(p: Prepared, entryId: string | undefined, replicas: number | undefined): Published {
    const published = this.done(p, entryId, replicas);
    this.checkReplicas([p], [published]);
    return published;
  }

  /**
   * The value of a batch whose events settled: every event stored, or the
   * error naming how many failed (`entryIds[i]` undefined and `errors[i]`
   * set for a failed one), or UnderReplicatedError.
   */
  batch(
    prepared: readonly Prepared[],
    entryIds: readonly (string | undefined)[],
    errors: readonly unknown[],
    replicas: readonly (number | undefined)[],
  ): Published[] {
    const results: Published[] = [];
    const failed: Prepared[] = [];
    let firstError: unknown;
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i]!;
      if (errors[i] === undefined) {
        results.push(this.done(p, entryIds[i], replicas[i]));
      } else {
        firstError ??= errors[i];
        failed.push(p);
      }
    }
    if (failed.length > 0) {
      const error = this.failed(failed, firstError);
      error.message = `${failed.length} of ${prepared.length} events of the batch failed (the other ${results.length} were stored): ${error.message}`;
      throw error;
    }
    this.checkReplicas(prepared, results);
    return results;
  }

  /** Counts failed events and makes the error their publish rejects with. */
  failed(prepared: readonly Prepared[], error: unknown): Error {
    for (const p of prepared) if (p.trace) endPublishSpan(p.trace, error);
    if (error instanceof ValidationError) return error;
    const wrapped = writeError(error, describe(prepared), this.ctx.connections.label);
    this.ctx.stats.publishFailed += prepared.length;
    for (const p of prepared) this.ctx.metrics.published(p.envelope.type, 'failed');
    return wrapped;
  }

  /** Counts a stored event and makes its `Published`. */
  private done(p: Prepared, entryId: string | undefined, replicas: number | undefined): Published {
    const { stats, metrics } = this.ctx;
    if (p.trace) endPublishSpan(p.trace);
    stats.published++;
    metrics.published(p.envelope.type, 'ok');
    if (p.channel) {
      stats.realtimeSent++;
      metrics.realtime(p.channelDef ?? p.channel, 'sent');
    }
    if (p.stream) this.retention.notePublish(p.stream, 1, p.key);
    const published: { -readonly [K in keyof Published]: Published[K] } = {
      id: p.envelope.id,
      type: p.envelope.type,
    };
    if (p.stream && entryId !== undefined) {
      published.entryId = entryId;
      this.ctx.losses.seen(p.key ?? p.stream.key, entryId);
      published.stream = p.stream.name;
      if (p.partition !== undefined) published.partition = p.partition;
    }
    if (p.channel) published.channel = p.channel;
    if (replicas !== undefined) published.replicas = replicas;
    return published;
  }

  /** Throws UnderReplicatedError when an event of `prepared` got fewer replicas than it asked for. */
  private checkReplicas(prepared: readonly Prepared[], published: readonly Published[]): void {
    let short: { wanted: number; got: number; timeoutMs: number } | undefined;
    for (let i = 0; i < prepared.length; i++) {
      const want = prepared[i]!.wait;
      const got = published[i]?.replicas ?? 0;
      if (want !== undefined && got < want.replicas && (short === undefined || got < short.got)) {
        short = { wanted: want.replicas, got, timeoutMs: want.timeoutMs };
      }
    }
    if (short === undefined) return;
    this.ctx.stats.underReplicated += prepared.length;
    const what = describe(prepared);
    throw new UnderReplicatedError(
      `${what} was stored on the master, but only ${short.got} of the ${short.wanted} replicas asked for acknowledged it within ${short.timeoutMs} ms: ` +
        'a failover now could lose it. Check the replicas (INFO replication); publishing again adds a duplicate unless idempotentPublish is on',
      published,
      short.wanted,
      short.got,
    );
  }
}
