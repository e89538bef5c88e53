/**
 * `waitUntilReady()`: waits until a connection is ready and Redis answered
 * PING, within a deadline, and says why when it does not happen: the last
 * socket or server error (ECONNREFUSED, ENOTFOUND, WRONGPASS...), a
 * connection that gave up (its retryStrategy returned null), or a bus that
 * was closed meanwhile.
 */
import { ClosedError, ConnectionError } from '../errors.js';
import type { RedisClient } from './redis-client.js';
import { codeOf, safeErrorText } from './redis-errors.js';

/** What a wait needs to know besides the client. */
export interface ReadyWait {
  /** The redacted address, for messages. */
  readonly label: string;
  readonly timeoutMs: number;
  /** Aborted when the bus closes: the wait rejects with `ClosedError` at once. */
  readonly closed: AbortSignal;
  /** An error the connection had before the wait began, if known. */
  readonly earlierError?: Error | undefined;
}

/** Resolves once `client` is ready and answered PING; rejects as the module comment says. */
export async function waitUntilReady(client: RedisClient, wait: ReadyWait): Promise<void> {
  if (wait.closed.aborted) throw closedError();
  const deadline = Date.now() + wait.timeoutMs;
  let lastError = wait.earlierError;
  const onError = (error: Error) => {
    lastError = error;
  };
  client.on('error', onError);
  try {
    if (client.status === 'wait') client.connect().catch(() => {});
    if (client.status !== 'ready') {
      await settleWithin(deadline, wait.closed, (resolve, fail) => {
        const onReady = () => resolve();
        const onEnd = () => fail(unreachable(wait.label, lastError, 'the connection was closed'));
        // Redis answered and said no: waiting longer changes nothing.
        const onRefusal = (error: Error) => {
          const refused = refusal(wait.label, error);
          if (refused !== undefined) fail(refused);
        };
        client.on('ready', onReady);
        client.on('end', onEnd);
        client.on('error', onRefusal);
        if (client.status === 'end') onEnd();
        else if (lastError !== undefined) onRefusal(lastError);
        return {
          onTimeout: () =>
            unreachable(
              wait.label,
              lastError,
              `ETIMEDOUT: status ${client.status}`,
              `; waited ${wait.timeoutMs} ms`,
              'ETIMEDOUT',
            ),
          cleanup: () => {
            client.off('ready', onReady);
            client.off('end', onEnd);
            client.off('error', onRefusal);
          },
        };
      });
    }
    await settleWithin(deadline, wait.closed, (resolve, fail) => {
      client.ping().then(
        () => resolve(),
        (error: unknown) =>
          fail(
            new ConnectionError(
              `Redis at ${wait.label} did not answer PING: ${safeErrorText(error)}`,
            ),
          ),
      );
      return {
        onTimeout: () =>
          new ConnectionError(
            `Redis at ${wait.label} did not answer PING within ${wait.timeoutMs} ms`,
          ),
        cleanup: () => {},
      };
    });
  } finally {
    client.off('error', onError);
  }
}

type Start = (
  resolve: () => void,
  fail: (error: Error) => void,
) => { onTimeout: () => Error; cleanup: () => void };

/** Runs `start` until it resolves or fails, the deadline passes, or `closed` aborts; cleans up after. */
function settleWithin(deadline: number, closed: AbortSignal, start: Start): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let hooks: ReturnType<Start> | undefined;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      closed.removeEventListener('abort', onClosed);
      hooks?.cleanup();
      if (error === undefined) resolve();
      else reject(error);
    };
    const onClosed = () => finish(closedError());
    const timer = setTimeout(() => finish(hooks?.onTimeout()), Math.max(0, deadline - Date.now()));
    closed.addEventListener('abort', onClosed, { once: true });
    hooks = start(
      () => finish(),
      (error) => finish(error),
    );
    if (settled) hooks.cleanup();
  });
}

/** Codes of a server that answered and refused the connection's credentials. */
const CREDENTIAL_REFUSALS = new Set(['WRONGPASS', 'NOAUTH']);

/**
 * The error to fail with at once when `error` says Redis refused the
 * connection (credentials, a database it does not have), else undefined.
 */
function refusal(label: string, error: Error): ConnectionError | undefined {
  if (error instanceof ConnectionError) return error; // the bus client's own verdict (a refused database)
  const code = codeOf(error);
  if (code === undefined || !CREDENTIAL_REFUSALS.has(code)) return undefined;
  return new ConnectionError(
    `Redis at ${label} refused the credentials (${safeErrorText(error)}): check the user and password the bus was given`,
    { code },
  );
}

/** Redis could not be reached: says why (`cause`, else `otherwise` with `otherwiseCode`). */
function unreachable(
  label: string,
  cause: Error | undefined,
  otherwise: string,
  detail = '',
  otherwiseCode?: string,
): ConnectionError {
  const why = cause === undefined ? otherwise : safeErrorText(cause);
  return new ConnectionError(
    `cannot reach Redis at ${label} (${why}${detail}): start it, or check the address and credentials the bus was given`,
    { code: cause === undefined ? otherwiseCode : codeOf(cause) },
  );
}

function closedError(): ClosedError {
  return new ClosedError('the bus was closed while waiting for Redis to be ready');
}
