/** Logging helpers: the bus logs nothing unless given a (pino-compatible) logger. */
import type { Logger } from '../bus.js';

/** A logger that drops everything; the default of both buses. */
export const noopLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});

/** Longest error text stored in a DLQ entry or a log record. @default 1000 */
export const MAX_ERROR_LENGTH = 1000;

/**
 * A safe one-line description of a thrown value: `Name: message`, cut to
 * `maxLength`. Never includes `err.command` (ioredis puts command arguments,
 * which may hold payloads or passwords, there).
 */
export function errorMessage(error: unknown, maxLength: number = MAX_ERROR_LENGTH): string {
  let text: string;
  if (error instanceof Error) {
    text = error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  } else if (typeof error === 'string') {
    text = error;
  } else {
    try {
      text = JSON.stringify(error) ?? String(error);
    } catch {
      text = String(error);
    }
  }
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}\u2026` : text;
}

/** Replaces the password (and user) of a URL with `***`, for logs and error messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, '$1***@');
}
