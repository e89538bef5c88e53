/**
 * One consumer of one group on a partitioned stream: it holds leases on its
 * share of the partitions and runs a StreamConsumer per partition it holds.
 *
 * Every third of the lease length it beats its membership
 * (partition-membership.ts), computes its share from the live members
 * (partition-assignment.ts) and then:
 * - renews the leases it holds (partition-lease.ts); a lease it could not
 *   renew (taken, expired: a paused process) stops its partition's consumer
 *   at once (no entry of it starts any more), and so does one it could not
 *   reach Redis to renew for longer than the lease minus one beat;
 * - gives up partitions beyond its share: their consumer stops starting
 *   entries, finishes those running, acks them, then the lease is released;
 * - takes free partitions of its share: leases them (SET NX PX) and starts
 *   their consumer, whose first act is taking over the group's pending
 *   entries of the partition in id order (partition-takeover.ts).
 * A beat whose membership call fails still renews the leases held (the
 * membership key may be on another node than the partitions).
 * Close stops every partition's consumer (as Subscription.close), releases
 * the leases and leaves the membership, so the others take over at their
 * next beat rather than after the lease length.
 */
import { randomBytes } from 'node:crypto';
import type { Envelope, HandlerMap } from '../bus.js';
import type { CatalogGroup, CatalogStream } from '../catalog.js';
import { type BreakerGate, breakerSystemClock, gateFor } from '../internal/breaker-gate.js';
import { errorMessage } from '../internal/logger.js';
import { type PartitionKeys, partitionKeys } from '../internal/partitions.js';
import type { ResolvedSubscribeOptions } from '../internal/subscribe-options.js';
import type { SubscriptionStatus } from '../internal/subscription-status.js';
import type { BusContext } from './bus-context.js';
import { createGroup } from './consumer-group.js';
import { delay, untilDeadline } from './delay.js';
import { partitionLeaseKey, partitionMembersKey } from './keys.js';
import { assignPartitions } from './partition-assignment.js';
import { DEFAULT_PARTITION_LEASE_MS, PartitionLease } from './partition-lease.js';
import { PartitionMembership } from './partition-membership.js';
import { readError } from './redis-errors.js';
import { type ConsumerTuning, StreamConsumer } from './stream-consumer.js';

/** How long a partition given up waits for its running handlers. */
const RELEASE_TIMEOUT_MS = 30_000;

/** A partition this consumer holds. */
interface HeldPartition {
  readonly partition: PartitionKeys;
  readonly leaseKey: string;
  readonly consumer: StreamConsumer;
  /** Until when the lease is ours at least (the last successful renewal's send time + lease). */
  validUntil: number;
  /** Being given up (its consumer closing). */
  releasing: boolean;
}

/** A group's consumer on a partitioned stream (see the module comment). */
export class PartitionedConsumer {
  private readonly token: string;
  private readonly leaseMs: number;
  private readonly lease: PartitionLease;
  private readonly membership: PartitionMembership;
  private readonly partitions: readonly PartitionKeys[];
  private readonly held = new Map<number, HeldPartition>();
  /** The circuit breaker of the group on this stream, one for all the partitions it reads. */
  private readonly gate: BreakerGate | undefined;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private recoveriesOfClosed = 0;
  /**
   * Consumers of partitions lost or given up, still finishing their running
   * handlers: the partition is not taken again here before that (two
   * consumers of one partition in one process would run its keys twice).
   */
  private readonly stopping = new Map<number, Promise<void>>();

  constructor(
    private readonly ctx: BusContext,
    readonly group: CatalogGroup,
    readonly stream: CatalogStream,
    private readonly handlers: HandlerMap,
    private readonly options: ResolvedSubscribeOptions,
    private readonly status: SubscriptionStatus,
    private readonly tuning: ConsumerTuning = {},
  ) {
    this.token = `${options.consumer}#${randomBytes(4).toString('hex')}`;
    this.leaseMs = tuning.partitionLeaseMs ?? DEFAULT_PARTITION_LEASE_MS;
    const { command } = ctx.connections;
    this.lease = new PartitionLease(command, this.token, this.leaseMs);
    this.membership = new PartitionMembership(
      command,
      partitionMembersKey(stream, group.name),
      this.token,
      this.leaseMs,
    );
    this.partitions = partitionKeys(stream);
    this.gate = gateFor(group, options.circuitBreaker, options.consumer, status, {
      logger: ctx.logger,
      metrics: ctx.metrics,
      clock: breakerSystemClock,
    });
    // As an unpartitioned consumer does: the groups exist before anything the caller sends next.
    for (const p of this.partitions) {
      createGroup(command, p.key, group).catch(() => undefined);
    }
  }

  /** Starts the membership, lease and rebalancing loop. */
  start(): void {
    this.loop = this.run();
  }

  /** The partitions this consumer reads now (for health), ascending. */
  get heldPartitions(): number[] {
    return [...this.held.values()]
      .filter((h) => !h.releasing)
      .map((h) => h.partition.index)
      .sort((a, b) => a - b);
  }

  /** Watchdog recoveries of the partitions' readers so far. */
  get readerRecoveries(): number {
    let n = this.recoveriesOfClosed;
    for (const h of this.held.values()) n += h.consumer.readerRecoveries;
    return n;
  }

  private get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  private get beatMs(): number {
    return Math.max(20, Math.floor(this.leaseMs / 3));
  }

  private async run(): Promise<void> {
    let failing = false;
    while (!this.stopped) {
      try {
        await this.tick();
        if (failing) this.status.recovered();
        failing = false;
      } catch (error) {
        if (this.stopped) break;
        failing = true;
        const failure = readError(
          error,
          `updating the partition leases of stream "${this.stream.name}" for group "${this.group.name}"`,
          this.ctx.connections.label,
        );
        this.status.failed(failure);
        this.ctx.logger.warn(
          {
            group: this.group.name,
            stream: this.stream.name,
            consumer: this.options.consumer,
            error: failure.message,
          },
          'partition membership or leases could not be updated; retrying',
        );
        this.dropExpired();
      }
      await delay(this.beatMs, this.stopController.signal);
    }
  }

  /** One beat: membership, renewals, releases, acquisitions. */
  private async tick(): Promise<void> {
    let members: string[];
    try {
      members = await this.membership.beat();
    } catch (error) {
      // The membership key may live on another node than the partitions (a Cluster: a master
      // failing over): keep the partitions held meanwhile rather than let every lease lapse.
      if (!this.stopped) await Promise.all([...this.held.values()].map((h) => this.renew(h)));
      throw error;
    }
    if (this.stopped) return;
    const wanted = new Set(assignPartitions(members, this.token, this.partitions.length));
    await Promise.all([...this.held.values()].map((h) => this.renew(h)));
    for (const h of [...this.held.values()]) {
      if (!wanted.has(h.partition.index) && !h.releasing) void this.giveUp(h);
    }
    for (const index of wanted) {
      if (this.stopped) return;
      if (this.held.has(index) || this.stopping.has(index)) continue;
      await this.take(this.partitions[index]!);
    }
  }

  private async renew(h: HeldPartition): Promise<void> {
    const sentAt = Date.now();
    let ours: boolean;
    try {
      ours = await this.lease.renew(h.leaseKey);
    } catch (error) {
      this.ctx.logger.warn(
        { ...this.where(h), error: errorMessage(error) },
        'renewing a partition lease failed; retrying',
      );
      this.dropExpired();
      return;
    }
    if (ours) h.validUntil = sentAt + this.leaseMs;
    else
      this.lost(
        h,
        'the lease was not ours any more (it expired, and maybe another consumer took it)',
      );
  }

  /** Stops the partitions whose lease may have expired: no renewal got through in time. */
  private dropExpired(): void {
    const now = Date.now();
    for (const h of [...this.held.values()]) {
      if (now >= h.validUntil - this.beatMs) this.lost(h, 'its lease could not be renewed in time');
    }
  }

  /** The lease is gone: no entry of the partition starts here from now on. */
  private lost(h: HeldPartition, why: string): void {
    if (this.held.get(h.partition.index) !== h) return;
    this.held.delete(h.partition.index);
    this.ctx.logger.warn(this.where(h), `stopped reading partition ${h.partition.index}: ${why}`);
    this.stopConsumer(h);
  }

  /** Closes `h`'s consumer; its partition is not taken again here until that is done. */
  private stopConsumer(h: HeldPartition): Promise<void> {
    const index = h.partition.index;
    const stopped = h.consumer.close(RELEASE_TIMEOUT_MS).then(() => {
      this.recoveriesOfClosed += h.consumer.readerRecoveries;
      if (this.stopping.get(index) === stopped) this.stopping.delete(index);
    });
    this.stopping.set(index, stopped);
    return stopped;
  }

  /** Gives a partition beyond this consumer's share up: finish what runs, ack it, release the lease. */
  private async giveUp(h: HeldPartition): Promise<void> {
    h.releasing = true;
    await this.stopConsumer(h);
    if (this.held.get(h.partition.index) !== h) return;
    this.held.delete(h.partition.index);
    await this.lease.release(h.leaseKey).catch(() => undefined);
  }

  private async take(partition: PartitionKeys): Promise<void> {
    const leaseKey = partitionLeaseKey(partition.key, this.group.name);
    const sentAt = Date.now();
    if (!(await this.lease.acquire(leaseKey))) return;
    if (this.stopped) {
      await this.lease.release(leaseKey).catch(() => undefined);
      return;
    }
    const field = this.stream.partitions?.key ?? '';
    let h: HeldPartition | undefined;
    const consumer = new StreamConsumer(
      this.ctx,
      this.group,
      { ...this.stream, key: partition.key, dlqKey: partition.dlqKey },
      this.handlers,
      this.options,
      this.status,
      this.tuning,
      {
        leaseKey,
        token: this.token,
        key: (event: Envelope) => String((event.data as Record<string, unknown>)?.[field]),
        leaseLost: () => {
          if (h !== undefined) this.lost(h, 'the lease was not ours when the takeover ran');
        },
        mayStart: () => {
          if (h === undefined || Date.now() < h.validUntil) return true;
          // Not renewed in time (the process paused, Redis unreachable): stop the partition now.
          queueMicrotask(() => this.lost(h!, 'its lease expired before it could be renewed'));
          return false;
        },
        gate: this.gate,
      },
    );
    h = { partition, leaseKey, consumer, validUntil: sentAt + this.leaseMs, releasing: false };
    this.held.set(partition.index, h);
    consumer.start();
  }

  private where(h: HeldPartition) {
    return {
      group: this.group.name,
      stream: this.stream.name,
      consumer: this.options.consumer,
      partition: h.partition.index,
    };
  }

  /**
   * Stops every partition's consumer (see StreamConsumer.close), then
   * releases the leases and leaves the group's membership.
   */
  close(timeoutMs: number): Promise<void> {
    this.closing ??= this.doClose(timeoutMs);
    return this.closing;
  }

  private async doClose(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + Math.max(timeoutMs, 1000);
    this.stopController.abort();
    const closing = [...this.held.values()].map((h) => h.consumer.close(timeoutMs));
    // A beat under way may still lease a partition: its consumer is closed too.
    await untilDeadline(this.loop ?? Promise.resolve(), deadline);
    for (const h of this.held.values()) closing.push(h.consumer.close(timeoutMs));
    // Partitions lost or given up meanwhile finish their handlers within the same bound.
    closing.push(...[...this.stopping.values()].map((p) => untilDeadline(p, deadline)));
    await Promise.all(closing);
    const release = Promise.all([
      ...[...this.held.values()].map((h) => this.lease.release(h.leaseKey)),
      this.membership.leave(),
    ]).catch(() => undefined);
    await Promise.race([release, delay(Math.max(0, deadline - Date.now()))]);
    this.held.clear();
  }
}
