/**
 * One consumer of one group on one stream: the XREADGROUP loop, handler
 * dispatch, acks, failures and close.
 *
 * - Group: created by the consumer at start (`XGROUP CREATE ... MKSTREAM`,
 *   from `$` or `0` per the catalogue's `startFrom`; BUSYGROUP ignored), so
 *   subscribing needs no bootstrap. The command is queued synchronously on
 *   the command connection, before anything the caller does next (a
 *   publish). If the group vanishes later (NOGROUP: stream or group deleted),
 *   it is created again and an error is logged, naming group and stream.
 * - If creating the group fails for another reason (Redis down or loading at
 *   start, OOM, ACL, a command that ran out of retries), the read loop tries
 *   again behind its backoff until it succeeds.
 * - Reading: `XREADGROUP ... COUNT n BLOCK blockMs STREAMS key >` while fewer
 *   than half of the read size wait for a handler slot (backpressure), so
 *   the next read is under way while the last one is handled; the size is
 *   `batchSize`, or when that is not set, about 50 ms of handler work
 *   (read-sizer.ts); at start, and after every reconnect of the reader or the
 *   command connection, the consumer re-reads its own pending list
 *   (reread.ts: entries served by a read whose reply was lost, claimed by a
 *   scan that ran twice, or held by a previous process with the same
 *   consumer name); an entry deleted while pending is acked and counted
 *   `lost`.
 * - Handling: decisions come from runtime/internal/delivery-decisions.ts, scheduling from
 *   runtime/internal/dispatcher.ts (concurrency, orderingKey). An entry is acked only
 *   after its handler resolved; a failed handler leaves it pending with a
 *   failure record (claimer.ts retries it); poison entries are dead-lettered.
 */
import type { Envelope, HandlerMap } from '../bus.js';
import type { CatalogGroup, CatalogStream } from '../catalog.js';
import type { BreakerGate, ConsumerGate } from '../internal/breaker-gate.js';
import { breakerSystemClock, gateFor } from '../internal/breaker-gate.js';
import type { ResolvedSubscribeOptions } from '../internal/subscribe-options.js';
import type { SubscriptionStatus } from '../internal/subscription-status.js';
import { AckBatcher } from './ack-batcher.js';
import type { BusContext } from './bus-context.js';
import { Claimer } from './claimer.js';
import { joinGroup } from './consumer-group.js';
import { ConsumerSweeper, DEFAULT_IDLE_CONSUMER_TIMEOUT_MS } from './consumer-sweeper.js';
import { delay, untilAborted, untilDeadline } from './delay.js';
import { EntryFailures } from './entry-failures.js';
import { EntryHandling } from './entry-handling.js';
import { type StreamKeys, streamKeys } from './keys.js';
import { takeOverPartition } from './partition-takeover.js';
import { PendingRereader } from './pending-rereader.js';
import { ReadSizer } from './read-sizer.js';
import { isNoGroupError, readError } from './redis-errors.js';
import type { GoneReason } from './scripts/index.js';
import { HUNG, type RawEntry, StreamReader } from './stream-reader.js';

/** Timing knobs of Redis consumers (bus options). */
export interface ConsumerTuning {
  /** A read that has not returned this long after its BLOCK should have ended is presumed hung. @default 5000 */
  readonly watchdogGraceMs?: number | undefined;
  /** Longest wait before finished entries are acked when no read comes first. @default 20 */
  readonly ackIntervalMs?: number | undefined;
  /** How often the claimer scans for retries and abandoned entries. @default claimIdleMs / 4, within 20..5000 */
  readonly claimIntervalMs?: number | undefined;
  /**
   * A consumer of a group with nothing pending and idle this long (a crashed
   * process, a close that could not reach Redis) is removed from the group;
   * one holding entries never is. @default 3600000 (one hour)
   */
  readonly idleConsumerTimeoutMs?: number | undefined;
  /**
   * On a partitioned stream: how long a consumer's lease on a partition (and
   * its membership of the group) lasts without renewal. Renewed every third
   * of it; a consumer that dies leaves its partitions to the others this long
   * after its last renewal; one that cannot renew (paused, cut off) stops
   * starting that partition's entries when it knows the lease may be gone.
   * @default 10000
   */
  readonly partitionLeaseMs?: number | undefined;
}

/** A consumer of one partition of a partitioned stream, while it holds the partition's lease (partitioned-consumer.ts). */
export interface PartitionRole {
  readonly leaseKey: string;
  readonly token: string;
  /** The event's partition key value: its ordering key, held back behind a failed event of the same value. */
  readonly key: (event: Envelope) => string;
  /** The lease turned out not to be ours when the takeover ran. */
  readonly leaseLost: () => void;
  /** Whether the lease is surely still ours (no entry starts otherwise). */
  readonly mayStart: () => boolean;
  /** The subscription's circuit breaker on the stream, shared by every partition it reads. */
  readonly gate: BreakerGate | undefined;
}

/** How long close retries the final ack flush at least, even when `timeoutMs` went on handlers. */
const FINAL_ACK_GRACE_MS = 1000;

/**
 * On a partition, entries held back behind failing entries of their keys
 * (kept in memory until those retries settle) beyond which the consumer
 * reads no more, in multiples of its batchSize.
 */
export const MAX_PARKED_BATCHES = 10;

/** One consumer of one group on one stream (see the module comment); a subscription runs one per stream. */
export class StreamConsumer {
  readonly keys: StreamKeys;
  private readonly handling: EntryHandling;
  private readonly acks: AckBatcher;
  private readonly claimer: Claimer;
  private readonly reader: StreamReader;
  private readonly rereader: PendingRereader;
  private readonly failures: EntryFailures;
  private readonly sizer: ReadSizer;
  private readonly sweeper: ConsumerSweeper;
  /** Its circuit breaker, when it has one: no read and no claim while it is open. */
  private readonly gate: ConsumerGate | undefined;
  private readonly stopController = new AbortController();
  /** Held-back entries past which nothing new is read (MAX_PARKED_BATCHES). */
  private readonly maxParked: number;
  private groupReady: Promise<void>;
  /** The last `XGROUP CREATE` failed (not BUSYGROUP): the read loop sends it again after its backoff. */
  private groupFailed = false;
  /** The start re-read was requested; re-reads after reconnects only count from then on. */
  private rereadStarted = false;
  private readonly offCommandReady: () => void;
  private loop: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly ctx: BusContext,
    readonly group: CatalogGroup,
    readonly stream: CatalogStream,
    handlers: HandlerMap,
    private readonly options: ResolvedSubscribeOptions,
    /** The subscription's state: a failing read or group command makes it `reconnecting`. */
    private readonly status: SubscriptionStatus,
    tuning: ConsumerTuning = {},
    /** Set on a partition: the start takes its pending entries over instead of re-reading its own. */
    private readonly partition?: PartitionRole,
  ) {
    this.keys = streamKeys(stream);
    this.maxParked = MAX_PARKED_BATCHES * options.batchSize;
    this.gate = partition
      ? partition.gate?.use()
      : gateFor(group, options.circuitBreaker, options.consumer, status, {
          logger: ctx.logger,
          metrics: ctx.metrics,
          clock: breakerSystemClock,
        });
    this.gate?.onReading(() => this.claimer.wakeAt(0));
    this.sizer = new ReadSizer(
      options.concurrency,
      options.batchSizeSet ? options.batchSize : undefined,
      options.batchSize,
    );
    const label = ctx.connections.label;
    this.acks = new AckBatcher(
      ctx.connections.command,
      this.keys,
      group.name,
      tuning.ackIntervalMs ?? 20,
      ctx.logger,
      label,
    );
    const settings = {
      name: `schemabus:${group.name}:${options.consumer}`,
      key: stream.key,
      group: group.name,
      consumer: options.consumer,
      blockMs: options.blockMs,
      watchdogGraceMs: tuning.watchdogGraceMs ?? 5000,
    };
    this.reader = new StreamReader(ctx.connections, settings, ctx.logger, {
      reconnected: () => this.rereadAfterReconnect(),
      failed: (error) =>
        this.status.failed(
          readError(
            error,
            `reading stream "${stream.name}" for group "${group.name}"`,
            ctx.connections.label,
          ),
        ),
    });
    this.rereader = new PendingRereader(ctx, {
      settings,
      failuresKey: this.keys.failures,
      batchSize: options.batchSize,
      signal: this.stopController.signal,
      settle: async () => {
        await this.failures.settled();
        await this.acks.flush();
      },
      room: async (limit) => {
        // Not while the breaker is open: a re-read counts a delivery of each entry.
        if (this.gate) await untilAborted(this.gate.whenReading(), this.stopController.signal);
        await untilAborted(this.handling.whenWaitingBelow(limit), this.stopController.signal);
        return this.handling.waiting;
      },
      busy: (id) => this.handling.busy(id) || this.acks.has(id),
      accept: (id, fields, deliveries, since) =>
        this.handling.accept(id, fields, deliveries, since),
      lost: (id) => this.failures.countLost(id),
    });
    this.failures = new EntryFailures(ctx, group, this.keys, options.consumer);
    this.handling = new EntryHandling({
      ctx,
      group,
      stream,
      handlers,
      options,
      acks: this.acks,
      failures: this.failures,
      sizer: this.sizer,
      gate: this.gate,
      stopped: () => this.stopped,
      retryDue: (at) => this.claimer.wakeAt(at),
      verify: (ids) => this.claimer.touch(ids),
      partitionKey: partition?.key,
      mayStart: partition?.mayStart,
    });
    this.claimer = new Claimer(ctx, group, this.keys, this.claimerHost(), {
      intervalMs: tuning.claimIntervalMs,
    });
    this.sweeper = new ConsumerSweeper(
      ctx,
      group,
      stream.key,
      options.consumer,
      tuning.idleConsumerTimeoutMs ?? DEFAULT_IDLE_CONSUMER_TIMEOUT_MS,
    );
    this.groupReady = this.ensureGroup();
    // A claim scan re-sent after a reconnect claims nothing: what its first run claimed is re-read.
    this.offCommandReady = ctx.connections.onCommandReady(() => this.rereadAfterReconnect());
  }

  /** Starts reading, claiming and the heartbeat. */
  start(): void {
    this.claimer.start();
    this.sweeper.start();
    this.loop = this.readLoop();
  }

  /** Watchdog recoveries of the reader so far (for tests and inspection). */
  get readerRecoveries(): number {
    return this.reader.recoveries;
  }

  private ensureGroup(): Promise<void> {
    this.groupFailed = false;
    const { command } = this.ctx.connections;
    const ready = joinGroup(command, this.stream.key, this.group, this.options.consumer).catch(
      (error: unknown) => {
        this.groupFailed = true;
        throw error;
      },
    );
    ready.catch(() => undefined); // awaited by the read loop, which handles the failure
    return ready;
  }

  /** A reconnect of the reader or the command connection, or a watchdog recovery: re-read the own pending list. */
  private rereadAfterReconnect(): void {
    // Before the start re-read is requested, it covers everything a reconnect could have left.
    if (this.rereadStarted && !this.stopped) void this.rereader.request('same');
  }

  private get stopped(): boolean {
    return this.stopController.signal.aborted;
  }

  private async readLoop(): Promise<void> {
    let backoffMs = 50;
    let first = true;
    /** Entries of the last read when it was full (a backlog): accepted once the next read is on its way. */
    let fetched: RawEntry[] = [];
    /** When the read that fetched them was sent: they were this consumer's from then on at the earliest. */
    let fetchedAt = 0;
    while (!this.stopped) {
      try {
        await untilAborted(this.groupReady, this.stopController.signal);
        if (this.gate !== undefined && !this.gate.reading) {
          // The breaker is open: nothing new is read (what is held waits, kept by the heartbeat).
          this.acceptAll(fetched.splice(0), fetchedAt);
          await untilAborted(this.gate.whenReading(), this.stopController.signal);
          continue;
        }
        if (this.stopped) break;
        if (this.handling.parked >= this.maxParked) {
          // Events held back behind failing events of their keys fill this consumer's memory:
          // nothing new is read until their retries settle (the partition's other keys wait too).
          this.acceptAll(fetched.splice(0), fetchedAt);
          await untilAborted(
            this.handling.whenParkedBelow(this.maxParked),
            this.stopController.signal,
          );
          continue;
        }
        if (first && this.partition !== undefined) {
          // A partition just leased: the group's pending entries of it first, in id order.
          if (!(await this.takeOver())) this.partition.leaseLost();
          first = false;
          this.rereadStarted = true;
          continue;
        }
        if (first) {
          // At start: entries a previous process with this consumer name left pending (a redelivery each).
          first = false;
          this.rereadStarted = true;
          await this.rereader.request('next');
          continue;
        }
        // With a backlog, double-buffered: the next read is sent before the last one's
        // entries are decoded and handled, so Redis serves it meanwhile. Otherwise a read
        // goes out once fewer than half of the read size wait for a handler, carrying the
        // acks of what was handled (caught up, acks are not left to the ack timer).
        const size = this.sizer.size;
        if (fetched.length === 0) {
          await untilAborted(
            this.handling.whenWaitingBelow(Math.floor(size / 2) + 1),
            this.stopController.signal,
          );
          if (this.stopped) break;
        }
        const count = size - this.handling.waiting - fetched.length;
        if (count <= 0) {
          this.acceptAll(fetched.splice(0), fetchedAt);
          continue;
        }
        const sentAt = Date.now();
        const read = this.reader.readNew(count, this.acks, (late) => this.acceptAll(late, sentAt));
        this.acceptAll(fetched.splice(0), fetchedAt);
        const entries = await read;
        if (entries === HUNG) continue;
        if (backoffMs > 50) {
          this.ctx.logger.info(
            { stream: this.stream.name, group: this.group.name, consumer: this.options.consumer },
            'reading again after failed reads',
          );
        }
        this.status.recovered();
        if (entries.length > 0)
          this.ctx.losses.seen(this.stream.key, entries[entries.length - 1]![0]);
        if (entries.length >= count) {
          fetched = entries;
          fetchedAt = sentAt;
        } else this.acceptAll(entries, sentAt);
        backoffMs = 50;
      } catch (error) {
        if (this.stopped) break;
        if (isNoGroupError(error)) {
          this.ctx.losses.groupVanished(this.stream.name, this.group.name);
          this.groupReady = this.ensureGroup();
          continue;
        }
        const creating = this.groupFailed;
        const failure = readError(
          error,
          `${creating ? 'creating group' : 'reading stream'} "${this.stream.name}" for group "${this.group.name}"`,
          this.ctx.connections.label,
        );
        this.status.failed(failure);
        this.ctx.logger.warn(
          {
            stream: this.stream.name,
            group: this.group.name,
            consumer: this.options.consumer,
            error: failure.message,
          },
          creating ? 'creating the consumer group failed; retrying' : 'read failed; retrying',
        );
        await delay(backoffMs, this.stopController.signal);
        backoffMs = Math.min(2000, backoffMs * 2);
        if (this.groupFailed && !this.stopped) this.groupReady = this.ensureGroup();
      }
    }
  }

  private takeOver(): Promise<boolean> {
    const limit = Math.max(1, Math.floor(this.options.batchSize / 2));
    return takeOverPartition(this.ctx, {
      keys: this.keys,
      group: this.group,
      consumer: this.options.consumer,
      leaseKey: this.partition!.leaseKey,
      token: this.partition!.token,
      pageSize: Math.max(1, this.options.batchSize - limit),
      signal: this.stopController.signal,
      room: () =>
        untilAborted(this.handling.whenWaitingBelow(limit + 1), this.stopController.signal),
      accept: (id, fields, deliveries, since, waitMs) =>
        this.handling.accept(id, fields, deliveries, since, waitMs),
      lost: (id) => this.failures.countLost(id),
    });
  }

  /** Entries of a read sent at `sentAt` (each delivered for the first time). */
  private acceptAll(entries: RawEntry[], sentAt: number): void {
    for (const [id, fields] of entries) {
      if (fields === null) this.failures.lost(id);
      else this.handling.accept(id, fields, 1, sentAt);
    }
  }

  private claimerHost() {
    return {
      consumer: this.options.consumer,
      room: () =>
        this.gate?.reading === false
          ? 0
          : Math.max(0, this.options.batchSize - this.handling.waiting),
      accept: (id: string, fields: string[], deliveries: number, since: number) =>
        this.handling.accept(id, fields, deliveries, since),
      tookOver: (owner: string, ids: readonly string[]) =>
        this.ctx.logger.info(
          {
            stream: this.stream.name,
            group: this.group.name,
            consumer: this.options.consumer,
            owner,
            entryIds: ids,
          },
          `claimed ${ids.length} entries from consumer "${owner}", idle past claimIdleMs (presumed dead)`,
        ),
      held: () => [...this.handling.heldIds(), ...this.acks.unconfirmed()],
      gone: (entries: readonly [string, GoneReason][]) => this.handling.release(entries),
      confirmed: (at: number, ids: readonly string[]) => this.handling.confirmed(at, ids),
      deadLettered: (id: string, deliveries: number, owner: string) => {
        this.handling.settledElsewhere(id);
        this.failures.countDeadLettered(id, 'exhausted', deliveries, undefined, owner);
      },
      lost: (id: string) => this.failures.countLost(id),
    };
  }

  /**
   * Stops reading and claiming, leaves entries not started pending, waits up
   * to `timeoutMs` for running handlers, aborts the rest (left pending, never
   * acked), closes the reader connection, and acks those that finished — a
   * failed ack flush is retried until `timeoutMs` after the start of close
   * (at least FINAL_ACK_GRACE_MS from then while Redis is connected); acks
   * still unsent are logged as an error with their number (their entries are
   * delivered again). Every step that waits for Redis ends by the deadline,
   * whatever the connection does.
   */
  close(timeoutMs: number): Promise<void> {
    this.closing ??= this.doClose(timeoutMs);
    return this.closing;
  }

  private async doClose(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.stopController.abort();
    // A partition's consumer stops on its own (given up, lost): its deliveries waiting for the
    // subscription's breaker leave their slots now (the breaker goes on for the other partitions).
    if (this.partition !== undefined) this.gate?.dispose();
    // Nothing waiting starts from now on, not even while the reader is unblocked.
    this.handling.dropWaiting();
    this.offCommandReady();
    this.claimer.stop();
    this.sweeper.stop();
    await untilDeadline(this.reader.unblock(), deadline);
    await this.handling.drain(Math.max(0, deadline - Date.now()));
    this.claimer.stopHeartbeat();
    // The reader is dropped, not quit: a read still in flight is rejected at once (its acks are kept).
    this.reader.close();
    // What is left talks to Redis: bounded by the deadline whatever the connection does.
    await untilDeadline(this.loop ?? Promise.resolve(), deadline);
    await untilDeadline(this.rereader.idle(), deadline);
    await untilDeadline(this.failures.settled(), deadline);
    // Finished work must be acked: retry the flush until the deadline (while Redis is
    // connected, at least FINAL_ACK_GRACE_MS: handlers may have used up timeoutMs).
    const connected = this.ctx.connections.command.status === 'ready';
    const ackDeadline = connected ? Math.max(deadline, Date.now() + FINAL_ACK_GRACE_MS) : deadline;
    const unsent = await this.acks.flushBefore(ackDeadline);
    if (unsent > 0) {
      this.ctx.logger.error(
        {
          group: this.group.name,
          stream: this.stream.name,
          consumer: this.options.consumer,
          unsent,
        },
        `close: the acks of ${unsent} handled entries could not be sent to Redis; those entries stay pending and will be delivered again (at-least-once)`,
      );
    }
    await untilDeadline(this.failures.releaseConsumer(), Math.max(deadline, Date.now() + 100));
  }
}
