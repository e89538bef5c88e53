/**
 * One subscription's consumer on one stream: takes entries from its group,
 * decides what each needs (shared `decideDelivery`), runs handlers through the
 * shared `Dispatcher` (concurrency, ordering key), acks after success, and
 * schedules retries or dead-letters after failure.
 */
import type {
  DeadLetterReason,
  Envelope,
  Handler,
  HandlerContext,
  HandlerMap,
  Logger,
} from '../bus.js';
import type { BreakerGate } from '../internal/breaker-gate.js';
import {
  type DeliveryContext,
  decideAfterFailure,
  decideDelivery,
  decideValidated,
  invokeHandler,
} from '../internal/delivery-decisions.js';
import { DedupeWindow, Dispatcher } from '../internal/dispatcher.js';
import { type DeliverySite, deliveryFields, logHandlerFailure } from '../internal/log-fields.js';
import { errorMessage } from '../internal/logger.js';
import { type BusMetrics, noopMetrics } from '../internal/metrics.js';
import { SkippedEntries } from '../internal/skipped-entries.js';
import type { StatsCounter } from '../internal/stats.js';
import type { ResolvedSubscribeOptions } from '../internal/subscribe-options.js';
import type { Validators } from '../internal/validate.js';
import type { GroupConsumer, GroupState, PendingEntry } from './group-state.js';

/** What a consumer needs from its bus. */
export interface ConsumerDeps {
  readonly stats: StatsCounter;
  readonly metrics: BusMetrics;
  readonly logger: Logger;
  readonly validators: Validators;
  readonly random: () => number;
  readonly maxEntryBytes: number;
  /** The event types the catalogue declares. */
  readonly knownTypes: ReadonlySet<string>;
  /** Moves `pending` to the DLQ (or drops it when the group's dlq is off) and acks it. */
  deadLetter(
    state: GroupState,
    pending: PendingEntry,
    reason: DeadLetterReason,
    error: string,
    attempts?: number,
  ): void;
}

interface Task {
  readonly pending: PendingEntry;
  readonly envelope: Envelope;
  readonly handler: Handler;
}

/** A subscription's consumer on one stream. */
export class MemoryConsumer implements GroupConsumer {
  readonly #dispatcher: Dispatcher<Task>;
  readonly #delivery: DeliveryContext;
  readonly #dedupe: DedupeWindow | undefined;
  readonly #inFlight = new Set<Task>();
  readonly #stream: string;
  readonly #skipped: SkippedEntries;
  /** Stream, group and consumer, for log records. */
  readonly #site: DeliverySite;
  #stopped = false;
  #abandoned = false;
  /** Last activity (delivery or ack), for `idleMs` in inspect(). */
  seenAt = 0;

  constructor(
    readonly state: GroupState,
    readonly name: string,
    handlers: HandlerMap,
    private readonly options: ResolvedSubscribeOptions,
    private readonly signal: AbortSignal,
    private readonly deps: ConsumerDeps,
    /** Its circuit breaker, when it has one. */
    private readonly gate?: BreakerGate,
  ) {
    this.#stream = state.group.stream;
    this.#site = { stream: this.#stream, group: state.group.name, consumer: name };
    gate?.onReading(() => state.schedule());
    this.#dedupe = options.dedupe ? new DedupeWindow() : undefined;
    this.#delivery = {
      group: state.group,
      handlers,
      validators: deps.validators,
      maxEntryBytes: deps.maxEntryBytes,
      seen: this.#dedupe,
      knownTypes: deps.knownTypes,
    };
    this.#skipped = new SkippedEntries(deps, this.#stream, state.group.name);
    this.#dispatcher = new Dispatcher<Task>({
      concurrency: options.concurrency,
      start: (task, done) => this.#start(task, done),
      onSettled: () => state.schedule(),
    });
  }

  hasCapacity(): boolean {
    return (
      !this.#stopped &&
      this.#dispatcher.waiting < this.options.batchSize &&
      this.gate?.reading !== false
    );
  }

  accept(pending: PendingEntry): void {
    try {
      this.#accept(pending);
    } catch (error) {
      // e.g. a payload schema ajv cannot compile: a catalogue problem, not a reason to stop consuming.
      this.deps.deadLetter(this.state, pending, 'invalid', errorMessage(error));
    }
  }

  #accept(pending: PendingEntry): void {
    const entry = pending.entry;
    const decision =
      entry.envelope !== undefined
        ? decideValidated(this.#delivery, entry.envelope, pending.deliveries)
        : decideDelivery(this.#delivery, entry.fields, pending.deliveries);
    switch (decision.action) {
      case 'skip':
        this.state.ack(pending);
        this.#skipped.skipped(pending.entry.type, decision.cause);
        return;
      case 'dead-letter':
        this.deps.deadLetter(
          this.state,
          pending,
          decision.reason,
          decision.error,
          decision.attempts,
        );
        return;
      case 'handle': {
        let key: string | undefined;
        // On a partition the partition key orders events (its group holds one per key at a
        // time): the orderingKey option is not used there, as on Redis.
        if (this.options.orderingKey !== undefined && !this.state.partitioned) {
          try {
            key = this.options.orderingKey(decision.envelope);
          } catch (error) {
            this.deps.logger.warn(
              {
                ...deliveryFields(this.#site, pending.entry.id, decision.envelope),
                error: errorMessage(error),
              },
              'orderingKey threw; handling the event without a key',
            );
          }
        }
        this.#dispatcher.push(
          { pending, envelope: decision.envelope, handler: decision.handler },
          key,
        );
      }
    }
  }

  /**
   * Stops taking entries; entries fetched and not started stay pending,
   * claimable after claimIdleMs, or at once on a partition, whose next
   * reader takes them over as a new lease holder does on Redis.
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.state.detach(this);
    const now = this.state.clock.now();
    const claimIdleMs = this.state.group.claimIdleMs;
    for (const task of this.#dispatcher.dropWaiting()) {
      const at = this.state.partitioned ? now : task.pending.deliveredAt + claimIdleMs;
      this.state.release(task.pending, at);
    }
  }

  /** No handler running and none waiting. */
  get idle(): boolean {
    return this.#dispatcher.inFlight === 0 && this.#dispatcher.waiting === 0;
  }

  /** Resolves when no handler of this consumer is running. */
  whenIdle(): Promise<void> {
    return this.#dispatcher.whenIdle();
  }

  /**
   * Gives up on the handlers still running: they will never be acked by this
   * consumer; their entries stay pending and become claimable after claimIdleMs.
   */
  abandon(): void {
    this.#abandoned = true;
    const at = this.state.clock.now() + this.state.group.claimIdleMs;
    for (const task of this.#inFlight) this.state.release(task.pending, at);
    this.#inFlight.clear();
  }

  /**
   * Runs one handler. Its promise is followed with `then` and two small
   * callbacks: cheaper than an async function, whose suspended frame and
   * resume bookkeeping were the largest allocation per delivery.
   */
  #start(task: Task, done: () => void): void {
    const { pending } = task;
    if (this.gate !== undefined && !this.#admitted(task, done)) return;
    this.deps.stats.delivered++;
    this.#inFlight.add(task);
    const ctx: HandlerContext = {
      group: this.state.group.name,
      consumer: this.name,
      stream: this.#stream,
      entryId: pending.entry.id,
      attempt: pending.deliveries,
      maxAttempts: this.state.group.retry.maxAttempts,
      signal: this.signal,
    };
    const started = this.deps.metrics !== noopMetrics ? performance.now() : -1;
    invokeHandler(task.handler, task.envelope, ctx, 'schemabus-memory').then(
      () => this.#finish(task, done, started, true, undefined),
      (error: unknown) => this.#finish(task, done, started, false, error),
    );
  }

  /** Whether the breaker lets `task` start now; else it starts (or is left pending) later. */
  #admitted(task: Task, done: () => void): boolean {
    const later = () => {
      if (this.#stopped) this.#leave(task, done);
      else this.#start(task, done);
    };
    return this.gate!.admit(task, later, () => this.#leave(task, done));
  }

  /** Leaves a task that never started pending (the subscription closed while it waited). */
  #leave(task: Task, done: () => void): void {
    this.state.release(task.pending, task.pending.deliveredAt + this.state.group.claimIdleMs);
    done();
  }

  #finish(task: Task, done: () => void, started: number, ok: boolean, error: unknown): void {
    try {
      this.gate?.record(task, ok, error);
      if (started >= 0) {
        this.deps.metrics.handlerDuration(
          this.state.group.name,
          task.envelope.type,
          (performance.now() - started) / 1000,
          ok,
        );
      }
      this.#settled(task, error, ok);
    } catch (failure) {
      // Never let bookkeeping turn into an unhandled rejection; the entry stays pending.
      this.deps.logger.error(
        {
          ...deliveryFields(this.#site, task.pending.entry.id, task.envelope),
          error: errorMessage(failure),
        },
        'failed to settle a delivery',
      );
    } finally {
      done();
    }
  }

  #settled(task: Task, error: unknown, ok: boolean): void {
    const { pending, envelope } = task;
    const deps = this.deps;
    const group = this.state.group;
    // Abandoned by close(): never ack or fail what the bus stopped waiting for.
    if (!this.#inFlight.delete(task) || this.#abandoned) return;
    const now = this.state.clock.now();
    this.seenAt = now;
    if (ok) {
      this.state.ack(pending);
      deps.stats.acked++;
      deps.metrics.consumed(this.#stream, group.name, envelope.type, 'acked');
      this.#dedupe?.add(envelope.id);
      return;
    }
    pending.firstFailureAt ??= now;
    pending.lastFailureAt = now;
    const decision = decideAfterFailure(group, error, pending.deliveries, deps.random);
    if (decision.action === 'retry') {
      deps.stats.retried++;
      deps.metrics.consumed(this.#stream, group.name, envelope.type, 'retried');
      logHandlerFailure(
        deps.logger,
        deliveryFields(this.#site, pending.entry.id, envelope, pending.deliveries),
        decision,
      );
      this.state.release(pending, now + decision.delayMs);
    } else {
      deps.deadLetter(this.state, pending, decision.reason, decision.error);
    }
  }
}
