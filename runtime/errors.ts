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

/** The bus (or subscription) is closed. */
export class ClosedError extends SchemabusError {
  override name = 'ClosedError';
}
