/**
 * What a consumer does with each entry it fetched or claimed: the decision
 * (runtime/internal/delivery-decisions.ts: skip, dead-letter or handle), scheduling
 * (runtime/internal/dispatcher.ts: concurrency, orderingKey), running the handler, and
 * after it: ack only once it resolved; on failure record it for a retry or
 * dead-letter it (failed-entries.ts, entry-failures.ts). Entries are "held" from fetch until their
 * handler settled; the claimer's heartbeat keeps held entries in Redis.
 */
import type { Envelope, HandlerContext, HandlerMap } from '../bus.js';
import type { CatalogGroup, CatalogStream } from '../catalog.js';
import type { ConsumerGate } from '../internal/breaker-gate.js';
import {
  type DeliveryContext,
  decideDelivery,
  invokeHandler,
  type SkipCause,
} from '../internal/delivery-decisions.js';
import { DedupeWindow, Dispatcher } from '../internal/dispatcher.js';
import {
  type DeliveryLogFields,
  type DeliverySite,
  deliveryFields,
  logHandlerFailure,
} from '../internal/log-fields.js';
import { errorMessage } from '../internal/logger.js';
import { noopMetrics } from '../internal/metrics.js';
import { SkippedEntries } from '../internal/skipped-entries.js';
import type { ResolvedSubscribeOptions } from '../internal/subscribe-options.js';
import type { AckBatcher } from './ack-batcher.js';
import type { BusContext } from './bus-context.js';
import { delay } from './delay.js';
import type { EntryFailures } from './entry-failures.js';
import { FailedEntries } from './failed-entries.js';
import { KeyHolds } from './partition-key-holds.js';
import type { ReadSizer } from './read-sizer.js';
import type { GoneReason } from './scripts/index.js';

/** An entry this consumer holds: waiting for a slot or running. */
interface Held {
  readonly id: string;
  readonly envelope: Envelope;
  readonly handler: (event: Envelope, ctx: HandlerContext) => Promise<void>;
  readonly deliveries: number;
  /** Taken over by another consumer, or abandoned on close: never acked here. */
  released: boolean;
  /** When the handler started, for the read sizer (-1: not timed) and for metrics (-1: none). */
  timed: number;
  started: number;
  /** Its handler has been started. */
  running: boolean;
  /** Since when, at the latest, Redis is known to count it this consumer's (fetch, claim or heartbeat). */
  confirmedAt: number;
  /** Its ordering key (the partition key's value on a partitioned stream). */
  key: string | undefined;
  /** A retry waiting for its backoff: not started before this time. */
  dueAt: number | undefined;
}

/** The parts of its consumer the handling uses. */
export interface HandlingDeps {
  readonly ctx: BusContext;
  readonly group: CatalogGroup;
  readonly stream: CatalogStream;
  readonly handlers: HandlerMap;
  readonly options: ResolvedSubscribeOptions;
  readonly acks: AckBatcher;
  readonly failures: EntryFailures;
  /** Times handlers for the read size. */
  readonly sizer: ReadSizer;
  /** The consumer's circuit breaker, when it has one. */
  readonly gate?: ConsumerGate | undefined;
  /** Whether the consumer is closing (entries fetched from now on stay pending). */
  stopped(): boolean;
  /** A retry of an entry that failed here is due at `at`. */
  retryDue(at: number): void;
  /** Asks Redis which of `ids` this consumer no longer owns (touch.lua), re-claiming the rest. */
  verify(ids: readonly string[]): Promise<[id: string, why: GoneReason][]>;
  /**
   * On a partition of a partitioned stream: the event's partition key value,
   * used as its ordering key, and a failed event holds back the later events
   * of its key until its retry is done (partition-key-holds.ts).
   */
  readonly partitionKey?: ((event: Envelope) => string) | undefined;
  /**
   * On a partition: whether an entry may start now (the lease may have
   * expired, as after a pause of the process); when not, the entry is left
   * pending for the partition's next holder.
   */
  readonly mayStart?: (() => boolean) | undefined;
}

/** Decides, schedules and runs the handlers of one consumer's entries. */
export class EntryHandling {
  private readonly dispatcher: Dispatcher<Held>;
  private readonly held = new Map<string, Held>();
  /** Entries that failed here, left pending for the claim scan until their retry is due. */
  private readonly failed: FailedEntries;
  /** Entries claimed a little before their retry is due, waiting for it (cleared on drain). */
  private readonly waits = new Set<NodeJS.Timeout>();
  private readonly seen: DedupeWindow | undefined;
  /**
   * The signal of every handler of this consumer, aborted when close gives up
   * waiting (all handlers still running are abandoned at that same moment):
   * one per consumer, since an AbortController per handler was a sixth of
   * the consume path.
   */
  private readonly abort = new AbortController();
  /** What decideDelivery needs, built once (not one object per entry). */
  private readonly delivery: DeliveryContext;
  private readonly skipped: SkippedEntries;
  /** Stream, group and consumer, for log records. */
  private readonly site: DeliverySite;
  /**
   * Held this long without a confirmation, an entry may have been claimed by
   * another consumer that took this one for dead (the process was stopped,
   * or its event loop stalled, or a read's reply waited in a stopped
   * process): it is verified before its handler starts.
   */
  private readonly verifyAfterMs: number;
  /** On a partition: keys held by a failed entry, and the entries parked behind them. */
  private readonly holds: KeyHolds<Held> | undefined;

  constructor(private readonly deps: HandlingDeps) {
    this.seen = deps.options.dedupe ? new DedupeWindow() : undefined;
    this.verifyAfterMs = Math.max(1, Math.floor(deps.group.claimIdleMs / 2));
    this.site = {
      stream: deps.stream.name,
      group: deps.group.name,
      consumer: deps.options.consumer,
    };
    this.delivery = {
      group: deps.group,
      handlers: deps.handlers,
      validators: deps.ctx.validators,
      maxEntryBytes: deps.ctx.maxEntryBytes,
      seen: this.seen,
      knownTypes: new Set(Object.keys(deps.ctx.catalog.events)),
    };
    this.skipped = new SkippedEntries(deps.ctx, deps.stream.name, deps.group.name);
    this.failed = new FailedEntries(deps.group, deps.failures, deps.retryDue, (id) =>
      this.holds?.releaseId(id),
    );
    if (deps.partitionKey !== undefined) {
      this.holds = new KeyHolds<Held>(
        (held) => this.admit(held),
        (id) => this.held.has(id) || this.failed.has(id),
        2 * deps.group.claimIdleMs + deps.group.retry.backoff.maxMs,
        // While the breaker is not reading, the claim scan takes no retry back (claimer room 0).
        () => deps.gate?.reading === false,
      );
    }
    this.dispatcher = new Dispatcher<Held>({
      concurrency: deps.options.concurrency,
      start: (held, done) => this.run(held, done),
    });
  }

  /** Fetched entries waiting for a handler slot. */
  get waiting(): number {
    return this.dispatcher.waiting;
  }

  /** Resolves once fewer than `limit` fetched entries wait. */
  whenWaitingBelow(limit: number): Promise<void> {
    return this.dispatcher.whenWaitingBelow(limit);
  }

  /** Entries held back behind a failing entry of their key (on a partition), not counted in `waiting`. */
  get parked(): number {
    return this.holds?.parkedCount ?? 0;
  }

  /** Resolves once fewer than `limit` entries are held back behind their keys. */
  whenParkedBelow(limit: number): Promise<void> {
    return this.holds?.whenParkedBelow(limit) ?? Promise.resolve();
  }

  /** Ids of the entries held here (waiting or running). */
  heldIds(): string[] {
    return [...this.held.keys()];
  }

  /**
   * Whether `id` is this consumer's business already: held (waiting or
   * running), or failed here and left pending for the claim scan (which
   * retries it once due, counting a delivery). The re-read of the own
   * pending list skips these.
   */
  busy(id: string): boolean {
    return this.held.has(id) || this.failed.has(id);
  }

  /**
   * Takes a fetched or claimed entry, this consumer's since `since` (when the
   * read or claim that brought it was sent) at the earliest: skip,
   * dead-letter or queue it for its handler.
   */
  accept(id: string, fields: string[], deliveries: number, since: number, waitMs = 0): void {
    const { acks } = this.deps;
    // Entries fetched after close began stay pending for another consumer.
    if (this.deps.stopped() || this.held.has(id) || acks.has(id)) return;
    const dueAt = this.failed.takeDue(id) ?? (waitMs > 0 ? Date.now() + waitMs : undefined);
    const decision = decideDelivery(this.delivery, fields, deliveries);
    if (decision.action === 'skip') {
      this.holds?.releaseId(id);
      this.skip(id, deliveries, decision.type, decision.cause);
      return;
    }
    if (decision.action === 'dead-letter') {
      this.holds?.releaseId(id);
      this.failed.deadLetter(
        id,
        decision.reason,
        decision.error,
        decision.attempts ?? deliveries,
        decision.type,
      );
      return;
    }
    const held: Held = {
      id,
      envelope: decision.envelope,
      handler: decision.handler as Held['handler'],
      deliveries,
      released: false,
      timed: -1,
      started: -1,
      running: false,
      confirmedAt: since,
      key: undefined,
      dueAt,
    };
    this.held.set(id, held);
    let key: string | undefined;
    try {
      key = (this.deps.partitionKey ?? this.deps.options.orderingKey)?.(decision.envelope);
    } catch (error) {
      key = undefined;
      this.deps.ctx.logger.warn(
        { ...deliveryFields(this.site, id, decision.envelope), error: errorMessage(error) },
        'orderingKey threw; handling the event without a key',
      );
    }
    held.key = key;
    this.admit(held);
  }

  /**
   * Queues `held` for its handler: parked behind its key's hold (a failed
   * entry of the same key waits for its retry), else pushed, at its due
   * time when it is a retry waiting for its backoff.
   */
  private admit(held: Held): void {
    if (held.released) return;
    const { key, dueAt } = held;
    held.dueAt = undefined;
    const wait = dueAt === undefined ? 0 : dueAt - Date.now();
    if (this.holds !== undefined && key !== undefined) {
      if (this.holds.heldBack(key, held.id)) {
        held.dueAt = dueAt;
        this.holds.park(key, held);
        return;
      }
      // A retry waiting for its backoff (failed here, or taken over so): later events of its key wait for it.
      if (wait > 0) this.holds.hold(key, held.id);
    }
    if (wait <= 0) {
      this.dispatcher.push(held, key);
      return;
    }
    // Claimed a little before the due time this consumer computed: hold it (heartbeats keep it) until then.
    const timer = setTimeout(() => {
      this.waits.delete(timer);
      if (!held.released && !this.deps.stopped()) this.dispatcher.push(held, key);
    }, wait);
    timer.unref?.();
    this.waits.add(timer);
  }

  /** Entry `id`, failed here, was dead-lettered by a claim scan: the later events of its key go on. */
  settledElsewhere(id: string): void {
    this.holds?.releaseId(id);
  }

  /** A heartbeat confirmed at `at` that this consumer owns the entries `ids`. */
  confirmed(at: number, ids: readonly string[]): void {
    for (const id of ids) {
      const held = this.held.get(id);
      if (held !== undefined && held.confirmedAt < at) held.confirmedAt = at;
    }
  }

  /**
   * Entries this consumer no longer owns in Redis: never acked here. Taken
   * over by another consumer (this one looked dead: it may be handled
   * twice), acked elsewhere, or deleted (trimmed, the stream deleted, the
   * data flushed): counted lost unless its handler had started.
   */
  release(entries: readonly [id: string, why: GoneReason][]): void {
    const { ctx } = this.deps;
    for (const [id, why] of entries) {
      this.holds?.releaseId(id);
      const held = this.held.get(id);
      if (held === undefined) continue;
      held.released = true;
      this.held.delete(id);
      const where = this.fields(held);
      if (why === 'deleted') {
        if (!held.running) this.deps.failures.countLost(id, held.envelope.type);
        else
          ctx.logger.warn(
            where,
            'an entry whose handler runs here was deleted from Redis (trimmed, or the data flushed)',
          );
      } else if (why === 'taken') {
        ctx.logger.warn(
          where,
          'an entry this consumer held was taken over by another consumer (this one looked dead); it may be handled twice',
        );
      } else {
        ctx.logger.info(
          where,
          'an entry this consumer held is not pending any more (acked elsewhere); not handled here',
        );
      }
    }
  }

  /** For close, first thing: entries not started stay pending; none starts from now on. */
  dropWaiting(): void {
    for (const timer of this.waits) clearTimeout(timer);
    this.waits.clear();
    for (const held of [...this.dispatcher.dropWaiting(), ...(this.holds?.clear() ?? [])]) {
      held.released = true;
      this.held.delete(held.id);
    }
  }

  /**
   * For close: drops entries not started (left pending), waits up to
   * `timeoutMs` for running handlers, then aborts the rest (left pending).
   */
  async drain(timeoutMs: number): Promise<void> {
    this.dropWaiting();
    const gaveUp = new AbortController();
    await Promise.race([this.dispatcher.whenIdle(), delay(timeoutMs, gaveUp.signal)]);
    gaveUp.abort();
    for (const held of this.held.values()) held.released = true;
    if (this.held.size > 0) {
      this.abort.abort(
        new Error(`subscription closed: handler did not finish within ${timeoutMs} ms`),
      );
    }
    this.held.clear();
  }

  /** The log fields of `held`'s delivery. */
  private fields(held: Held): DeliveryLogFields {
    return deliveryFields(this.site, held.id, held.envelope, held.deliveries);
  }

  private skip(id: string, deliveries: number, type: string, cause: SkipCause): void {
    this.deps.acks.add(id, deliveries);
    this.skipped.skipped(type, cause);
  }

  private run(held: Held, done: () => void): void {
    if (held.released) {
      done();
      return;
    }
    if (this.deps.mayStart?.() === false) {
      // The lease may be gone: the entry stays pending for the partition's next holder.
      held.released = true;
      this.held.delete(held.id);
      done();
      return;
    }
    if (held.key !== undefined && this.holds?.heldBack(held.key, held.id)) {
      // Queued before an earlier entry of its key failed: it waits for that retry.
      this.holds.park(held.key, held);
      done();
      return;
    }
    if (this.mayBeTaken(held)) {
      this.verifyThenStart(held, done);
      return;
    }
    this.start(held, done);
  }

  /**
   * Whether the breaker lets `held` start now; else it waits in its slot (its
   * attempt unspent) and goes through `run` again (verified again) once it may.
   */
  private admitted(held: Held, done: () => void): boolean {
    const leave = () => {
      held.released = true;
      this.held.delete(held.id);
      done();
    };
    return this.deps.gate!.admit(held, () => this.run(held, done), leave);
  }

  private start(held: Held, done: () => void): void {
    if (this.seen?.has(held.envelope.id)) {
      // `dedupe`: a copy of this event was handled since it was fetched.
      this.held.delete(held.id);
      this.skip(held.id, held.deliveries, held.envelope.type, 'duplicate');
      done();
      return;
    }
    this.handle(held, done);
  }

  /**
   * Whether another consumer may have claimed `held` by now: nothing
   * confirmed it for longer than verifyAfterMs. A read that waited for new
   * entries was served when they were added, so the entry id's time (Redis's
   * clock) counts as a confirmation too.
   */
  private mayBeTaken(held: Held): boolean {
    const now = Date.now();
    if (now - held.confirmedAt <= this.verifyAfterMs) return false;
    const addedAt = Number(held.id.slice(0, held.id.indexOf('-')));
    return now - Math.min(addedAt, now) > this.verifyAfterMs;
  }

  /**
   * Starts `held` only once Redis says this consumer still owns it: no
   * heartbeat confirmed that for longer than another consumer waits before
   * claiming. A failed check starts it anyway (at-least-once).
   */
  private verifyThenStart(held: Held, done: () => void): void {
    const startUnlessReleased = () => {
      if (held.released) done();
      else this.start(held, done);
    };
    this.deps.verify([held.id]).then((gone) => {
      if (gone.length > 0) this.release(gone);
      startUnlessReleased();
    }, startUnlessReleased);
  }

  /**
   * Runs one handler. Its promise is followed with `then` and two small
   * callbacks: cheaper than an async function, whose suspended frame and
   * resume bookkeeping were the largest allocation per delivery.
   */
  private handle(held: Held, done: () => void): void {
    // Asked right before the handler runs, so a half-open probe is always a handler run.
    if (this.deps.gate !== undefined && !this.admitted(held, done)) return;
    const { ctx, group, stream, options } = this.deps;
    ctx.stats.delivered++;
    const context: HandlerContext = {
      group: group.name,
      consumer: options.consumer,
      stream: stream.name,
      entryId: held.id,
      attempt: held.deliveries,
      maxAttempts: group.retry.maxAttempts,
      signal: this.abort.signal,
    };
    held.running = true;
    held.timed = this.deps.sizer.starting();
    if (ctx.metrics !== noopMetrics) held.started = performance.now();
    invokeHandler(held.handler, held.envelope, context, 'redis').then(
      () => this.handled(held, done, true, undefined),
      (error: unknown) => this.handled(held, done, false, error),
    );
  }

  private handled(held: Held, done: () => void, ok: boolean, error: unknown): void {
    const { ctx, group, stream, acks, sizer } = this.deps;
    const type = held.envelope.type;
    try {
      this.deps.gate?.record(held, ok, error);
      if (held.timed >= 0) sizer.finished(held.timed);
      if (held.started >= 0) {
        const seconds = (performance.now() - held.started) / 1000;
        ctx.metrics.handlerDuration(group.name, type, seconds, ok);
      }
      if (!held.released) {
        this.held.delete(held.id);
        if (ok) {
          this.holds?.releaseId(held.id);
          acks.add(held.id, held.deliveries);
          this.seen?.add(held.envelope.id);
          ctx.stats.acked++;
          ctx.metrics.consumed(stream.name, group.name, type, 'acked');
        } else {
          const decision = this.failed.handlerFailed(
            held.id,
            error,
            held.deliveries,
            held.envelope,
          );
          logHandlerFailure(ctx.logger, this.fields(held), decision);
          if (held.key !== undefined && this.holds !== undefined) {
            if (decision.action !== 'dead-letter') this.holds.hold(held.key, held.id);
            else this.holds.releaseId(held.id);
          }
        }
      }
    } catch (failure) {
      // Never let bookkeeping turn into an unhandled rejection; the entry stays pending.
      ctx.logger.error(
        { ...this.fields(held), error: errorMessage(failure) },
        'failed to settle a delivery',
      );
    } finally {
      done();
    }
  }
}
