/**
 * What a consumer does with an entry it fetched, and after its handler
 * failed: the decisions both buses share, kept free of I/O so each bus only
 * carries them out (ack, dead-letter, schedule a retry).
 */

import type { DeadLetterReason, Envelope, Handler, HandlerMap } from '../bus.js';
import type { CatalogGroup } from '../catalog.js';
import { NonRetryableError } from '../errors.js';
import { retryDelayMs } from './backoff.js';
import { type DecodeResult, decodeEntry, MAX_ENTRY_BYTES } from './entry-codec.js';
import { type EntryFields, fieldValue } from './entry-fields.js';
import { errorMessage } from './logger.js';
import { type MessagingSystem, runTraced } from './tracing.js';
import type { Validators } from './validate.js';

/**
 * Why an entry is acked without calling a handler: a type the group does not
 * listen to, a type the catalogue does not declare at all, a replay for
 * another group, a duplicate (`dedupe`).
 */
export type SkipCause = 'type' | 'unknown' | 'replay' | 'duplicate';

/** The decision for one fetched entry. */
export type DeliveryDecision =
  /** Ack unseen (count `skipped`); `type` is the entry's event type, `''` when it has none. */
  | { readonly action: 'skip'; readonly cause: SkipCause; readonly type: string }
  /** Dead-letter at once (reason `undecodable`, `invalid`, or `exhausted` when delivered past maxAttempts). */
  | {
      readonly action: 'dead-letter';
      readonly reason: DeadLetterReason;
      readonly error: string;
      readonly type: string | undefined;
      /**
       * The attempts to record in the DLQ when they differ from the entry's
       * delivery count: `maxAttempts` for an entry delivered past it, whose
       * last delivery never reached a handler.
       */
      readonly attempts?: number;
    }
  /** Call `handler` with `envelope`. */
  | { readonly action: 'handle'; readonly envelope: Envelope; readonly handler: Handler };

/** What {@link decideDelivery} needs to know about the consumer. */
export interface DeliveryContext {
  readonly group: CatalogGroup;
  readonly handlers: HandlerMap;
  readonly validators: Validators;
  /** @default MAX_ENTRY_BYTES */
  readonly maxEntryBytes?: number | undefined;
  /** Envelope ids already handled by this consumer (`dedupe`); undefined when off. */
  readonly seen?: { has(id: string): boolean } | undefined;
  /** The event types the catalogue declares (a skipped type outside them is `unknown`). */
  readonly knownTypes?: { has(type: string): boolean } | undefined;
}

function fieldOf(fields: readonly string[] | EntryFields, name: string): string | undefined {
  if (!Array.isArray(fields)) return (fields as EntryFields)[name];
  return fieldValue(fields as readonly string[], name);
}

/**
 * Decides what to do with a fetched entry delivered for the `attempt`-th
 * time, in this order: a type the group does not listen to, or a replay for
 * another group -> skip (checked before any JSON parsing); undecodable ->
 * dead-letter `undecodable`; `attempt > maxAttempts` (a consumer died while
 * handling it, again and again) -> dead-letter `exhausted`; payload fails the
 * tolerant schema -> dead-letter `invalid`; already handled (dedupe) -> skip;
 * else handle.
 */
export function decideDelivery(
  ctx: DeliveryContext,
  fields: readonly string[] | EntryFields,
  attempt: number,
): DeliveryDecision {
  const type = fieldOf(fields, 'type');
  if (type !== undefined && type !== '' && !ctx.group.events.includes(type)) {
    return {
      action: 'skip',
      cause: ctx.knownTypes?.has(type) === false ? 'unknown' : 'type',
      type,
    };
  }
  const replayFor = fieldOf(fields, 'replayfor');
  if (replayFor !== undefined && replayFor !== ctx.group.name) {
    return { action: 'skip', cause: 'replay', type: type ?? '' };
  }
  const decoded: DecodeResult = decodeEntry(fields, ctx.maxEntryBytes ?? MAX_ENTRY_BYTES);
  if (!decoded.ok) {
    return { action: 'dead-letter', reason: 'undecodable', error: decoded.reason, type };
  }
  return decideDecoded(ctx, decoded.envelope, attempt, false);
}

/**
 * {@link decideDelivery} for an envelope that passed strict validation
 * against this same catalogue when it was stored (the in-memory bus's own
 * publishes): no decoding, and no consume-side check, since the strict pass
 * implies the tolerant one. The other steps are the same.
 */
export function decideValidated(
  ctx: DeliveryContext,
  envelope: Envelope,
  attempt: number,
): DeliveryDecision {
  if (!ctx.group.events.includes(envelope.type)) {
    return { action: 'skip', cause: 'type', type: envelope.type };
  }
  if (envelope.replayfor !== undefined && envelope.replayfor !== ctx.group.name) {
    return { action: 'skip', cause: 'replay', type: envelope.type };
  }
  return decideDecoded(ctx, envelope, attempt, true);
}

function decideDecoded(
  ctx: DeliveryContext,
  envelope: Envelope,
  attempt: number,
  validated: boolean,
): DeliveryDecision {
  const maxAttempts = ctx.group.retry.maxAttempts;
  if (attempt > maxAttempts) {
    return {
      action: 'dead-letter',
      reason: 'exhausted',
      error: `delivered ${attempt} times, more than maxAttempts ${maxAttempts}, without the handler reporting a result (did consumers crash while handling it?)`,
      type: envelope.type,
      attempts: maxAttempts,
    };
  }
  const issues = validated ? null : ctx.validators.forConsume(envelope.type)(envelope.data);
  if (issues !== null) {
    return {
      action: 'dead-letter',
      reason: 'invalid',
      error: `payload does not match the ${envelope.type} schema: ${issues
        .map((i) => `${i.path || '/'} ${i.message}`)
        .join('; ')}`,
      type: envelope.type,
    };
  }
  if (ctx.seen?.has(envelope.id)) {
    return { action: 'skip', cause: 'duplicate', type: envelope.type };
  }
  const handler = ctx.handlers[envelope.type] as Handler | undefined;
  if (handler === undefined) return { action: 'skip', cause: 'type', type: envelope.type };
  return { action: 'handle', envelope, handler };
}

/** The decision after a handler threw (or rejected) on delivery `attempt`. */
export type FailureDecision =
  | { readonly action: 'retry'; readonly delayMs: number; readonly error: string }
  | {
      readonly action: 'dead-letter';
      readonly reason: 'exhausted' | 'non-retryable';
      readonly error: string;
    };

/**
 * `NonRetryableError` -> dead-letter `non-retryable`; the last attempt
 * (`attempt >= maxAttempts`) -> dead-letter `exhausted`; else retry after
 * `retryDelayMs(policy, attempt)`.
 */
export function decideAfterFailure(
  group: CatalogGroup,
  error: unknown,
  attempt: number,
  random: () => number = Math.random,
): FailureDecision {
  const message = errorMessage(error);
  if (error instanceof NonRetryableError) {
    return { action: 'dead-letter', reason: 'non-retryable', error: message };
  }
  if (attempt >= group.retry.maxAttempts) {
    return { action: 'dead-letter', reason: 'exhausted', error: message };
  }
  return { action: 'retry', delayMs: retryDelayMs(group.retry, attempt, random), error: message };
}

/**
 * Calls a handler so that a synchronous throw becomes a rejected promise,
 * in a CONSUMER span when the application traces (tracing.ts).
 */
export function invokeHandler(
  handler: Handler,
  envelope: Envelope,
  ctx: Parameters<Handler>[1],
  system: MessagingSystem,
): Promise<void> {
  return runTraced(system, envelope, ctx, handler as Handler<unknown>);
}
