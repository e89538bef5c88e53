/**
 * One consumer group on one stream: its read position, its pending entries
 * (delivered, not acked) with delivery counts, and the live consumers it
 * hands entries to, one entry at a time in turn (load balancing).
 */
import type { GroupInspection } from '../bus.js';
import type { CatalogGroup } from '../catalog.js';
import type { Clock } from './clock.js';
import type { PartitionAssignment } from './partition-assignment.js';
import { PendingList } from './pending-list.js';
import type { LogEntry, StreamLog } from './stream-log.js';

/** A delivered entry not acked yet, like a Redis PEL record. */
export interface PendingEntry {
  readonly entry: LogEntry;
  /** Name of the consumer holding it. */
  owner: string;
  /** Delivery count: 1 on the first delivery. */
  deliveries: number;
  /** Time of the last delivery (idle time is measured from here). */
  deliveredAt: number;
  /** When another consumer may take it: Infinity while its holder works on it. */
  claimableAt: number;
  firstFailureAt: number | undefined;
  lastFailureAt: number | undefined;
  /** Its index in the group's pending list (pending-list.ts). */
  slot: number;
}

/** A live consumer as the group sees it. */
export interface GroupConsumer {
  readonly name: string;
  /** Last activity (clock time), kept up to date by the group and the consumer. */
  seenAt: number;
  /** Whether it can take one more entry now (fewer than `batchSize` waiting). */
  hasCapacity(): boolean;
  /** Takes a (new, retried or claimed) delivery. */
  accept(pending: PendingEntry): void;
}

/** The in-memory state of a consumer group on one stream. */
export class GroupState {
  /** Position of the next entry never delivered to the group. */
  nextPos: number;
  /** The last entry delivered (its id is made on use: see LogEntry). */
  #lastDelivered: LogEntry | undefined;
  /** Pending entries in first-delivery (= stream) order. */
  readonly pending = new PendingList<PendingEntry>();
  /** Pending entries another consumer may take once `claimableAt` has passed. */
  #claimable: PendingEntry[] = [];
  #consumers: GroupConsumer[] = [];
  /** Every consumer name seen, with its last activity, like XINFO CONSUMERS. */
  readonly #seen = new Map<string, number>();
  #turn = 0;
  #scheduled = false;
  readonly #runScheduled = () => {
    this.#scheduled = false;
    this.distribute();
  };
  #timer: unknown;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly group: CatalogGroup,
    readonly log: StreamLog,
    readonly clock: Clock,
    /** Set on a partition of a partitioned stream: one consumer at a time, one event per key. */
    private readonly partition?: PartitionAssignment,
  ) {
    const earliest = group.startFrom === 'earliest';
    this.nextPos = earliest ? log.startPos : log.endPos;
    this.#lastDelivered = earliest ? undefined : log.last;
  }

  /** Id of the last entry delivered to the group, `0-0` before the first. */
  get lastDeliveredId(): string {
    return this.#lastDelivered?.id ?? '0-0';
  }

  /** Adds a live consumer; entries its name left pending become claimable by it at once (it re-reads its own pending list). */
  attach(consumer: GroupConsumer): void {
    this.#consumers.push(consumer);
    consumer.seenAt = this.clock.now();
    this.#seen.set(consumer.name, consumer.seenAt);
    for (const p of this.pending) {
      if (p.owner === consumer.name && p.claimableAt !== Number.POSITIVE_INFINITY) {
        p.claimableAt = this.clock.now();
      }
    }
    this.schedule();
  }

  /** Stops handing entries to `consumer` (its pending entries stay pending). */
  detach(consumer: GroupConsumer): void {
    this.#consumers = this.#consumers.filter((c) => c !== consumer);
    this.#seen.set(consumer.name, Math.max(consumer.seenAt, this.#seen.get(consumer.name) ?? 0));
    // A partition moves to another consumer: let it read what waits.
    if (this.partition !== undefined) this.schedule();
  }

  /** Lets any consumer of the group take `pending` from time `at` on (a retry, or an abandoned entry). */
  release(pending: PendingEntry, at: number): void {
    pending.claimableAt = at;
    this.#claimable.push(pending);
    this.#armTimer();
    this.schedule();
  }

  /** Removes `pending` from the pending list (ack). */
  ack(pending: PendingEntry): void {
    this.pending.delete(pending);
    if (this.partition !== undefined) {
      this.partition.done(pending);
      if (this.partition.hasReady) this.schedule();
    }
  }

  /** Whether this is a group on a partition of a partitioned stream (its partition key orders it). */
  get partitioned(): boolean {
    return this.partition !== undefined;
  }

  /** Oldest position the group still needs: its oldest pending entry, else the next to deliver. */
  floorPos(): number {
    const oldest = this.pending.first();
    return oldest === undefined ? this.nextPos : Math.min(oldest.entry.pos, this.nextPos);
  }

  /** Entries not handed to the group yet while it has live consumers (0 without: nothing drains them). */
  get backlog(): number {
    return this.#consumers.length === 0 ? 0 : this.log.endPos - this.nextPos;
  }

  /** Runs {@link distribute} soon (once per microtask, however often called). */
  schedule(): void {
    if (this.#scheduled || this.#consumers.length === 0) return;
    this.#scheduled = true;
    queueMicrotask(this.#runScheduled);
  }

  /**
   * Hands due claimable entries, then new entries, to consumers with room,
   * one entry per consumer in turn.
   */
  distribute(): void {
    const now = this.clock.now();
    for (;;) {
      const consumer = this.#nextWithCapacity();
      if (consumer === undefined) break;
      const claimed = this.#takeDue(now);
      if (claimed !== undefined) {
        claimed.owner = consumer.name;
        claimed.deliveries++;
        claimed.deliveredAt = now;
        claimed.claimableAt = Number.POSITIVE_INFINITY;
        consumer.seenAt = now;
        consumer.accept(claimed);
        continue;
      }
      const ready = this.partition?.takeReady();
      if (ready !== undefined) {
        if (!this.pending.has(ready)) continue;
        ready.owner = consumer.name;
        ready.deliveries++;
        ready.deliveredAt = now;
        consumer.seenAt = now;
        consumer.accept(ready);
        continue;
      }
      if (this.nextPos >= this.log.endPos) break;
      const entry = this.log.at(this.nextPos++);
      if (entry === undefined) continue;
      this.#lastDelivered = entry;
      const pending: PendingEntry = {
        entry,
        owner: consumer.name,
        deliveries: 1,
        deliveredAt: now,
        claimableAt: Number.POSITIVE_INFINITY,
        firstFailureAt: undefined,
        lastFailureAt: undefined,
        slot: -1,
      };
      this.pending.add(pending);
      consumer.seenAt = now;
      if (this.partition?.hold(pending)) {
        // Held behind an earlier entry of its key: pending, delivered later (see PartitionAssignment).
        pending.deliveries = 0;
        continue;
      }
      consumer.accept(pending);
    }
    // The same `now` as the hand-out above: an entry not due then gets a timer, even if the
    // clock has reached its time since (a timer may fire a moment early).
    this.#armTimer(now);
  }

  /** Cancels the claim timer (bus closing). */
  stop(): void {
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#consumers = [];
  }

  /** The group as `inspect()` reports it. */
  inspect(laggingPastRetention: boolean): GroupInspection {
    const now = this.clock.now();
    for (const c of this.#consumers) {
      this.#seen.set(c.name, Math.max(c.seenAt, this.#seen.get(c.name) ?? 0));
    }
    const perConsumer = new Map<string, number>();
    for (const p of this.pending) {
      perConsumer.set(p.owner, (perConsumer.get(p.owner) ?? 0) + 1);
    }
    const names = [...new Set([...this.#seen.keys(), ...perConsumer.keys()])].sort();
    // Pending entries are kept in stream order: the first is the oldest.
    const oldest = this.pending.first();
    return {
      name: this.group.name,
      consumers: names.map((name) => ({
        name,
        pending: perConsumer.get(name) ?? 0,
        idleMs: Math.max(0, now - (this.#seen.get(name) ?? now)),
      })),
      pending: this.pending.size,
      lag: Math.max(0, this.log.endPos - Math.max(this.nextPos, this.log.startPos)),
      lastDeliveredId: this.lastDeliveredId,
      oldestPendingId: oldest?.entry.id ?? null,
      oldestPendingAgeMs: oldest === undefined ? null : Math.max(0, now - oldest.entry.ms),
      laggingPastRetention,
      // On a partition: the consumer that reads it now (see PartitionAssignment).
      ...(this.partition === undefined
        ? {}
        : { reader: this.partition.owner(this.#consumers)?.name ?? null }),
    };
  }

  #nextWithCapacity(): GroupConsumer | undefined {
    if (this.partition !== undefined) {
      const owner = this.partition.owner(this.#consumers);
      return owner?.hasCapacity() ? owner : undefined;
    }
    const n = this.#consumers.length;
    for (let i = 0; i < n; i++) {
      const index = (this.#turn + i) % n;
      const consumer = this.#consumers[index]!;
      if (consumer.hasCapacity()) {
        this.#turn = (index + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }

  /** The due claimable entry earliest in the stream, removed from the claimable list. */
  #takeDue(now: number): PendingEntry | undefined {
    let best = -1;
    for (let i = 0; i < this.#claimable.length; i++) {
      const p = this.#claimable[i]!;
      if (!this.pending.has(p) || p.claimableAt === Number.POSITIVE_INFINITY) {
        // Acked or taken meanwhile: forget it.
        this.#claimable.splice(i--, 1);
        continue;
      }
      if (p.claimableAt <= now && (best < 0 || p.entry.pos < this.#claimable[best]!.entry.pos)) {
        best = i;
      }
    }
    if (best < 0) return undefined;
    return this.#claimable.splice(best, 1)[0];
  }

  #armTimer(now: number = this.clock.now()): void {
    let at = Number.POSITIVE_INFINITY;
    for (const p of this.#claimable)
      if (p.claimableAt > now && p.claimableAt < at) at = p.claimableAt;
    if (at === this.#timerAt) return;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = at;
    if (at === Number.POSITIVE_INFINITY) return;
    this.#timer = this.clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.distribute();
      },
      Math.max(0, at - this.clock.now()),
    );
  }
}
