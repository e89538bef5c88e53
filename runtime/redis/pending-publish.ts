/**
 * Publishes waiting for the batched appends they went out with
 * (append-batcher.ts): each settles its promise once its entries' replies
 * came, through the publisher's outcome functions.
 */
import type { Published } from '../bus.js';
import type { AppendReceiver } from './append-batcher.js';
import type { Prepared } from './prepared-publish.js';

/** How a settled publish becomes its value or its error (the Publisher). */
export interface PublishOutcomes {
  /** Counts a stored event and makes its `Published`. */
  done(p: Prepared, entryId: string | undefined): Published;
  /** Counts failed events and makes the error their publish rejects with. */
  failed(prepared: readonly Prepared[], error: unknown): Error;
  /** The value of a settled batch, or the error naming how many of it failed. */
  batchOutcome(
    prepared: readonly Prepared[],
    entryIds: readonly (string | undefined)[],
    errors: readonly unknown[],
  ): Published[];
}

/** One stream-only publish waiting for its batched append. */
export class PendingPublish implements AppendReceiver {
  resolve!: (value: Published) => void;
  reject!: (error: unknown) => void;

  constructor(
    private readonly publisher: PublishOutcomes,
    private readonly p: Prepared,
  ) {}

  appended(_index: number, entryId: string | undefined, error: unknown): void {
    try {
      if (error === undefined) this.resolve(this.publisher.done(this.p, entryId));
      else this.reject(this.publisher.failed([this.p], error));
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
  private remaining: number;

  constructor(
    private readonly publisher: PublishOutcomes,
    private readonly prepared: readonly Prepared[],
  ) {
    this.remaining = prepared.length;
  }

  appended(index: number, entryId: string | undefined, error: unknown): void {
    this.entryIds[index] = entryId;
    if (error !== undefined) this.errors[index] = error;
    if (--this.remaining > 0) return;
    try {
      this.resolve(this.publisher.batchOutcome(this.prepared, this.entryIds, this.errors));
    } catch (thrown) {
      this.reject(thrown);
    }
  }
}
