/**
 * The demo's account of what happened: each line is written as it happens
 * (so the text reads in the order things occurred, with the time since the
 * start) and kept, next to structured records the demo returns and tests
 * assert on.
 */
import type { Envelope, HandlerContext, Published } from 'schemabus';

/** Where the account is written, one line at a time (newline included). */
export type Out = (text: string) => void;

/** One event the demo (or a service reacting to one) published. */
export interface PublishedRecord {
  /** Who published it: `campaign-service` or the service that reacted. */
  readonly by: string;
  readonly type: string;
  readonly eventId: string;
  readonly stream?: string;
  readonly entryId?: string;
  readonly channel?: string;
}

/** One delivery a service handled successfully. */
export interface HandledRecord {
  readonly service: string;
  readonly type: string;
  readonly eventId: string;
  readonly entryId: string;
  readonly attempt: number;
  /** The delivery came from a DLQ replay for this service's group. */
  readonly replay: boolean;
}

/** One delivery a handler failed. */
export interface FailureRecord {
  readonly service: string;
  readonly type: string;
  readonly eventId: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly error: string;
  /** False when the handler threw `NonRetryableError` (straight to the DLQ). */
  readonly retryable: boolean;
}

/** One realtime message the dashboard received. */
export interface RealtimeRecord {
  readonly channel: string;
  readonly type: string;
  readonly eventId: string;
  readonly status: string;
}

/** Width of the actor column. */
const ACTOR_WIDTH = 18;

/** The narrative and the records of one demo run. */
export class Account {
  readonly lines: string[] = [];
  readonly published: PublishedRecord[] = [];
  readonly handled: HandledRecord[] = [];
  readonly failures: FailureRecord[] = [];
  readonly realtime: RealtimeRecord[] = [];
  /** Deliveries of events from earlier runs (on a shared Redis), acked without a word. */
  foreign = 0;
  private readonly startedAt: number;

  constructor(
    private readonly out: Out,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** A line without a time: headings, summaries. */
  text(line = ''): void {
    this.lines.push(line);
    this.out(`${line}\n`);
  }

  /** A timed line: `+0.123s  actor  what`. */
  say(actor: string, what: string): void {
    const seconds = ((this.now() - this.startedAt) / 1000).toFixed(3);
    this.text(`  +${seconds}s  ${actor.padEnd(ACTOR_WIDTH)} ${what}`);
  }

  /**
   * `by` publishes an event: tells it first (the in-memory bus may run
   * handlers before `send` resolves), then records what was stored.
   */
  async publish(
    by: string,
    type: string,
    summary: string,
    send: () => Promise<Published>,
  ): Promise<Published> {
    this.say(by, `publishes ${type}: ${summary}`);
    const published = await send();
    this.published.push({
      by,
      type: published.type,
      eventId: published.id,
      ...(published.stream !== undefined && { stream: published.stream }),
      ...(published.entryId !== undefined && { entryId: published.entryId }),
      ...(published.channel !== undefined && { channel: published.channel }),
    });
    return published;
  }

  /** `service` handled `event`. */
  noteHandled(service: string, event: Envelope, ctx: HandlerContext, summary: string): void {
    const replay = event.replayfor === service;
    this.handled.push({
      service,
      type: event.type,
      eventId: event.id,
      entryId: ctx.entryId,
      attempt: ctx.attempt,
      replay,
    });
    const how = `attempt ${ctx.attempt}/${ctx.maxAttempts}${replay ? ', replayed from the DLQ' : ''}`;
    this.say(service, `handled ${event.type} (${how}): ${summary}`);
  }

  /** `service` is about to throw `error` for `event`. */
  noteFailure(
    service: string,
    event: Envelope,
    ctx: HandlerContext,
    error: Error,
    retryable: boolean,
  ): void {
    this.failures.push({
      service,
      type: event.type,
      eventId: event.id,
      attempt: ctx.attempt,
      maxAttempts: ctx.maxAttempts,
      error: error.message,
      retryable,
    });
    const next = retryable
      ? ctx.attempt < ctx.maxAttempts
        ? 'the bus retries it after a backoff'
        : 'no attempts left: dead-lettered'
      : 'NonRetryableError: straight to the DLQ';
    this.say(
      service,
      `FAILED ${event.type} (attempt ${ctx.attempt}/${ctx.maxAttempts}): ${error.message} -> ${next}`,
    );
  }

  /** The dashboard received a realtime message. */
  noteRealtime(record: RealtimeRecord): void {
    this.realtime.push(record);
    this.say('dashboard', record.status);
  }
}
