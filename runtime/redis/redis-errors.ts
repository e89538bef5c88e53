/**
 * How Redis failures reach users: as `ConnectionError`s whose messages say
 * what happened, where and what to do, and which never carry `err.command`
 * (ioredis puts the command's arguments there: payloads, passwords) or a
 * URL's credentials.
 */
import { ConnectionError, PublishOutcomeUnknownError } from '../errors.js';
import { redactUrl } from '../internal/logger.js';

/** The message of a Redis or socket error, without arguments and with URLs redacted. */
export function safeErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/[a-z][a-z0-9+.-]*:\/\/[^\s@/]*@/gi, (m) => redactUrl(m));
}

/** A server error reply (ioredis `ReplyError`): the command reached Redis and was refused. */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

/** The NOGROUP reply: the group (or its stream) does not exist. */
export function isNoGroupError(error: unknown): boolean {
  return error instanceof Error && /^NOGROUP\b/.test(error.message);
}

/** A copy of `error` fit for `cause`: name and message only (no `command`, no arguments). */
function sanitized(error: unknown): Error {
  const copy = new Error(safeErrorText(error));
  if (error instanceof Error) copy.name = error.name;
  return copy;
}

/**
 * The error a failed write is reported with: `ConnectionError` when Redis
 * refused it (nothing was written), `PublishOutcomeUnknownError` when the
 * connection failed after it may have been sent.
 */
export function writeError(error: unknown, what: string, label: string): ConnectionError {
  if (error instanceof ConnectionError) return withWhat(error, what);
  const text = safeErrorText(error);
  if (isReplyError(error)) {
    return new ConnectionError(
      `${what} was refused by Redis at ${label}: ${text}; nothing was written (check the server: memory, ACL, cluster state)`,
      { cause: sanitized(error), code: codeOf(error as Error) },
    );
  }
  return new PublishOutcomeUnknownError(
    `${what} failed on Redis at ${label} (${text}): it may or may not have been stored. ` +
      'Publish again only if duplicates are acceptable (consumers can dedupe by envelope id), ' +
      'or enable idempotentPublish so a repeated publish with the same id is stored once',
    { cause: sanitized(error) },
  );
}

/** The error a failed read or admin command is reported with. */
export function readError(error: unknown, what: string, label: string): ConnectionError {
  if (error instanceof ConnectionError) return withWhat(error, what);
  return new ConnectionError(`${what} failed on Redis at ${label}: ${safeErrorText(error)}`, {
    cause: sanitized(error),
    code: error instanceof Error ? codeOf(error) : undefined,
  });
}

/** `ECONNREFUSED`, `ENOTFOUND`, `WRONGPASS`, `NOAUTH`... of a socket or server error. */
export function codeOf(error: Error | undefined): string | undefined {
  if (error === undefined) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return /^([A-Z]{3,})\b/.exec(error.message)?.[1];
}

/** A connection failure of the bus's client (it has a `code`) as the failure of `what`. */
function withWhat(error: ConnectionError, what: string): ConnectionError {
  if (error.code === undefined || error.constructor !== ConnectionError) return error;
  return new ConnectionError(`${what} failed: ${error.message}`, { code: error.code });
}
