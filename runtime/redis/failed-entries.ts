/**
 * The entries whose handler failed in this consumer: each is recorded for a
 * retry (or dead-lettered) in Redis by EntryFailures and left pending; the
 * claim scan brings it back with one delivery more once its backoff has
 * elapsed. Until then the consumer leaves it alone (the re-read of its own
 * pending list skips it), and when the scan claims it a little early, the
 * consumer holds it until the due time it computed.
 */
import type { DeadLetterReason, Envelope } from '../bus.js';
import type { CatalogGroup } from '../catalog.js';
import { decideAfterFailure, type FailureDecision } from '../internal/delivery-decisions.js';
import { DueTimes } from './due-times.js';
import type { EntryFailures } from './entry-failures.js';

/** Failed entries of one consumer on one stream, and when their retries are due. */
export class FailedEntries {
  private readonly dueAt: DueTimes;

  constructor(
    private readonly group: CatalogGroup,
    private readonly failures: EntryFailures,
    /** Called with the time a retry recorded here is due (the claimer wakes then). */
    private readonly retryDue: (at: number) => void,
    /** Called when an entry that failed here will not come back here (dead-lettered, lost, taken). */
    private readonly settled: (id: string) => void = () => undefined,
  ) {
    this.dueAt = new DueTimes(2 * group.claimIdleMs + group.retry.backoff.maxMs);
  }

  /** Whether `id` failed here and waits for its retry. */
  has(id: string): boolean {
    return this.dueAt.has(id);
  }

  /** Forgets `id` (it came back) and returns when its retry was due, if it failed here. */
  takeDue(id: string): number | undefined {
    return this.dueAt.take(id);
  }

  /** After a handler threw: a retry after the backoff, or the DLQ (last attempt, NonRetryableError); returns which. */
  handlerFailed(
    id: string,
    error: unknown,
    deliveries: number,
    envelope: Envelope,
  ): FailureDecision {
    const type = envelope.type;
    const decision = decideAfterFailure(this.group, error, deliveries);
    if (decision.action === 'dead-letter') {
      this.deadLetter(id, decision.reason, decision.error, deliveries, type, envelope);
      return decision;
    }
    void this.failures.retry(id, decision.error, decision.delayMs, type).then((at) => {
      if (at === undefined) {
        this.settled(id);
        return;
      }
      if (at === null) {
        // Not recorded: the claim scan takes it after claimIdleMs.
        this.dueAt.set(id, Date.now() + this.group.claimIdleMs);
        return;
      }
      this.dueAt.set(id, at);
      this.retryDue(at);
    });
    return decision;
  }

  /** Dead-letters `id`; if Redis could not be asked, it stays pending for the claim scan. */
  deadLetter(
    id: string,
    reason: DeadLetterReason,
    error: string,
    deliveries: number,
    type: string | undefined,
    envelope?: Envelope,
  ): void {
    void this.failures.deadLetter(id, reason, error, deliveries, type, envelope).then((done) => {
      if (!done) this.dueAt.set(id, Date.now() + this.group.claimIdleMs);
    });
  }
}
