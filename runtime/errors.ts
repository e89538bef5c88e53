/** Errors users can catch. Every message says what happened and what to do. */
import type { Published } from './bus.js';

/** Root of every error schemabus throws on purpose. */
export class SchemabusError extends Error {
  override name = 'SchemabusError';
}

/** One failing location of a payload. */
export interface ValidationIssue {
  /** JSON Pointer into the payload, `''` for the payload itself. */
  readonly path: string;
  readonly message: string;
}

/** A payload does not match its event's schema; nothing was written. */
export class ValidationError extends SchemabusError {
  override name = 'ValidationError';
  constructor(
    readonly type: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(
      `invalid ${type} payload, nothing was published: ${issues
        .map((i) => `${i.path || '/'} ${i.message}`)
        .join('; ')}`,
    );
  }
}

/** Thrown by a handler to send the event to the DLQ at once, without retries. */
export class NonRetryableError extends SchemabusError {
  override name = 'NonRetryableError';
}

/** The code and the catalogue (or Redis) disagree: unknown event type, group, stream or channel. */
export class CatalogMismatchError extends SchemabusError {
  override name = 'CatalogMismatchError';
}

/** Options of a {@link ConnectionError}. */
export interface ConnectionErrorOptions extends ErrorOptions {
  /** The cause as a code, where one is known: `ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, `WRONGPASS`, `NOAUTH`... */
  readonly code?: string | undefined;
}

/**
 * Redis could not be reached or refused a command. Nothing was written,
 * except for its subclass {@link PublishOutcomeUnknownError}.
 */
export class ConnectionError extends SchemabusError {
  override name = 'ConnectionError';
  /** The cause as a code, where one is known: `ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, `WRONGPASS`, `NOAUTH`... */
  readonly code: string | undefined;
  constructor(message: string, options?: ConnectionErrorOptions) {
    super(message, options);
    this.code = options?.code;
  }
}

/** A publish failed after it may have reached Redis: it may or may not be stored. */
export class PublishOutcomeUnknownError extends ConnectionError {
  override name = 'PublishOutcomeUnknownError';
}

/**
 * A publish that waited for replicas (`waitForReplicas`) was stored on the
 * master, but fewer replicas than asked acknowledged it within the timeout:
 * a failover now could lose it. `published` are the stored events (their
 * `replicas` say how many acknowledged each). Publishing them again adds
 * duplicates unless `idempotentPublish` is on (same `meta.id`).
 */
export class UnderReplicatedError extends SchemabusError {
  override name = 'UnderReplicatedError';
  constructor(
    message: string,
    /** The events stored on the master (all of them, for a publishBatch). */
    readonly published: readonly Published[],
    /** Replicas asked for. */
    readonly replicas: number,
    /** The fewest replicas that acknowledged one of them. */
    readonly acknowledged: number,
  ) {
    super(message);
  }
}

/** The bus (or subscription) is closed. */
export class ClosedError extends SchemabusError {
  override name = 'ClosedError';
}

/** A stream whose entries Redis no longer has, though the bus saw them (see {@link DataLossError}). */
export interface LostStream {
  readonly stream: string;
  readonly key: string;
  /** The newest entry id the bus saw on it before the connection was lost. */
  readonly lastSeenId: string;
  /** Whether the stream key is gone altogether (else it was re-created, or lost its newest entries). */
  readonly gone: boolean;
}

/**
 * Redis came back without data the bus had seen: entries of a stream (the
 * newest one the bus saw is neither stored nor recorded as deleted) or a
 * consumer group. A server restarted without persistence (or failed over to
 * a replica that lagged), or data flushed or deleted by hand. Emitted
 * through `bus.onError`; counted in `stats().dataLoss`; listed by
 * `inspect().losses`.
 */
export class DataLossError extends SchemabusError {
  override name = 'DataLossError';
  constructor(
    message: string,
    readonly streams: readonly LostStream[],
    /** Consumer groups that vanished (re-created from the catalogue's `startFrom`). */
    readonly groups: readonly { readonly stream: string; readonly group: string }[],
  ) {
    super(message);
  }
}

/**
 * The realtime subscriber connection was away (dropped by Redis, for one:
 * `client-output-buffer-limit pubsub` cuts a slow subscriber) and was
 * resubscribed: what was published on `channels` from `since` to `until`
 * is gone (realtime is at-most-once). Emitted through `bus.onError`; counted
 * in `stats().realtimeGaps`.
 */
export class RealtimeGapError extends SchemabusError {
  override name = 'RealtimeGapError';
  constructor(
    message: string,
    /** The channel names and patterns the connection was subscribed to. */
    readonly channels: readonly string[],
    readonly since: string,
    readonly until: string,
    readonly awayMs: number,
  ) {
    super(message);
  }
}
