/**
 * Publishes waiting for the batched appends they went out with
 * (append-batcher.ts): each settles its promise once its entries' replies
 * came (and, when waiting for replicas, their WAIT), through the bus's
 * publish outcomes (publish-outcomes.ts).
 */
import type { Published } from '../bus.js';
import type { AppendReceiver } from './append-batcher.js';
import type { Prepared } from './prepared-publish.js';
import type { PublishOutcomes } from './publish-outcomes.js';

/** One stream-only publish waiting for its batched append. */
export class PendingPublish implements AppendReceiver {
  resolve!: (value: Published) => void;
  reject!: (error: unknown) => void;

  constructor(
    private readonly outcomes: PublishOutcomes,
    private readonly p: Prepared,
  ) {}

  appended(_index: number, entryId: string | undefined, error: unknown, replicas?: number): void {
    try {
      if (error === undefined) this.resolve(this.outcomes.stored(this.p, entryId, replicas));
      else this.reject(this.outcomes.failed([this.p], error));
    } catch (thrown) {
      this.reject(thrown);
    }
  }
}

/** A publishBatch waiting for its batched appends. */
export class PendingBatch implements AppendReceiver {
  resolve!: (value: Published[]) => void;
  reject!: (error: unknown) => void;
  private readonly entryIds: (string | undefined)[] = [];
  private readonly errors: unknown[] = [];
  private readonly replicas: (number | undefined)[] = [];
  private remaining: number;

  constructor(
    private readonly outcomes: PublishOutcomes,
    private readonly prepared: readonly Prepared[],
  ) {
    this.remaining = prepared.length;
  }

  appended(index: number, entryId: string | undefined, error: unknown, replicas?: number): void {
    this.entryIds[index] = entryId;
    this.replicas[index] = replicas;
    if (error !== undefined) this.errors[index] = error;
    if (--this.remaining > 0) return;
    try {
      this.resolve(this.outcomes.batch(this.prepared, this.entryIds, this.errors, this.replicas));
    } catch (thrown) {
      this.reject(thrown);
    }
  }
}
