/**
 * Per-key order across a whole group on one partition of a partitioned
 * stream (the in-memory bus's side of the promise the Redis bus keeps with
 * leases). Two rules, applied by `GroupState` through this class:
 *
 * - one consumer at a time: partition `index` is read by the consumer at
 *   `index mod n` of the group's live consumers on it (in attach order), so
 *   it moves to another when one closes or joins;
 * - one event per key at a time: an entry whose key (the value of the
 *   stream's partition key field) already has an entry pending in the group
 *   (being handled, waiting for a retry, or left by a consumer that closed)
 *   is held, pending, until that one is acked or dead-lettered; then the
 *   next entry of the key is released, in stream order. A failing event of
 *   a key holds back the later events of that key only.
 */
import type { CatalogStream } from '../catalog.js';
import { decodeEntry } from '../internal/entry-codec.js';
import type { PendingEntry } from './group-state.js';

/** The key gate and consumer choice of one group on one partition. */
export class PartitionAssignment {
  /** Per key, its pending entries in stream order: the first is out, the rest held. */
  readonly #byKey = new Map<string, PendingEntry[]>();
  /** The key of each pending entry the gate tracks, by entry position. */
  readonly #keyOf = new Map<number, string>();
  /** Held entries whose turn has come, in the order they were released. */
  readonly #ready: PendingEntry[] = [];

  constructor(
    /** The partition's index: which of the live consumers reads it. */
    readonly index: number,
    private readonly field: string,
  ) {}

  /** The assignment of `stream`'s partition `index`, undefined for an unpartitioned stream. */
  static of(stream: CatalogStream, index: number): PartitionAssignment | undefined {
    return stream.partitions === undefined
      ? undefined
      : new PartitionAssignment(index, stream.partitions.key);
  }

  /** The consumer that reads the partition now, among the live ones in attach order. */
  owner<C>(consumers: readonly C[]): C | undefined {
    return consumers.length === 0 ? undefined : consumers[this.index % consumers.length];
  }

  /**
   * Notes a newly pending entry; returns true when it must be held (an
   * earlier entry of its key is still pending), false when it may go out now.
   */
  hold(pending: PendingEntry): boolean {
    const key = this.#routingKey(pending);
    if (key === undefined) return false;
    this.#keyOf.set(pending.entry.pos, key);
    const queue = this.#byKey.get(key);
    if (queue === undefined) {
      this.#byKey.set(key, [pending]);
      return false;
    }
    queue.push(pending);
    return true;
  }

  /** The entry left the pending list (acked or dead-lettered): the next of its key may go out. */
  done(pending: PendingEntry): void {
    const key = this.#keyOf.get(pending.entry.pos);
    if (key === undefined) return;
    this.#keyOf.delete(pending.entry.pos);
    const queue = this.#byKey.get(key);
    if (queue === undefined) return;
    const at = queue.indexOf(pending);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) this.#byKey.delete(key);
    else if (at === 0) this.#ready.push(queue[0]!);
  }

  /** The next held entry whose turn has come, removed from the ready list. */
  takeReady(): PendingEntry | undefined {
    return this.#ready.shift();
  }

  /** Whether a held entry waits for a consumer. */
  get hasReady(): boolean {
    return this.#ready.length > 0;
  }

  #routingKey(pending: PendingEntry): string | undefined {
    const entry = pending.entry;
    const data =
      entry.envelope !== undefined
        ? entry.envelope.data
        : (() => {
            const decoded = decodeEntry(entry.fields);
            return decoded.ok ? decoded.envelope.data : undefined;
          })();
    const value =
      typeof data === 'object' && data !== null
        ? (data as Record<string, unknown>)[this.field]
        : undefined;
    // Entries without a usable key are not held: delivery dead-letters them.
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }
}
