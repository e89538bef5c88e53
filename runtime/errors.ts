/** Errors users can catch. Every message says what happened and what to do. */

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

/** Redis could not be reached or refused a command; the outcome of a write may be unknown. */
export class ConnectionError extends SchemabusError {
  override name = 'ConnectionError';
}

/** A publish failed after it may have reached Redis: it may or may not be stored. */
export class PublishOutcomeUnknownError extends ConnectionError {
  override name = 'PublishOutcomeUnknownError';
}

/** The bus (or subscription) is closed. */
export class ClosedError extends SchemabusError {
  override name = 'ClosedError';
}
