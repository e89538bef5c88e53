/**
 * The fields of the log records about one delivery, built in one place so
 * both buses name them alike: `stream`, `group`, `consumer`, `entryId`,
 * `eventId`, `type`, `attempt`, `traceId` (from the envelope's
 * `traceparent`). Never the payload, never a connection's credentials:
 * what a record says of an event is its identity, not its data.
 */
import type { Envelope, Logger } from '../bus.js';
import type { DeadLetter } from '../dead-letter-queue.js';
import type { FailureDecision } from './delivery-decisions.js';

/** Where a delivery happens: a consumer of a group on a stream. */
export interface DeliverySite {
  readonly stream: string;
  readonly group: string;
  readonly consumer?: string | undefined;
}

/** The log fields of one delivery. */
export interface DeliveryLogFields {
  readonly stream: string;
  readonly group: string;
  readonly consumer?: string;
  readonly entryId: string;
  readonly eventId?: string;
  readonly type?: string;
  readonly attempt?: number;
  readonly traceId?: string;
}

const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}/;

/** The trace id of a W3C `traceparent`, or undefined when there is none (or it is malformed). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  if (traceparent === undefined) return undefined;
  return TRACEPARENT.exec(traceparent)?.[1];
}

/**
 * The fields of the delivery of entry `entryId` (its envelope when it
 * decoded; `type` when only that is known); absent values are left out.
 */
export function deliveryFields(
  site: DeliverySite,
  entryId: string,
  envelope?: Pick<Envelope, 'id' | 'type' | 'traceparent'> | undefined,
  attempt?: number | undefined,
  type?: string | undefined,
): DeliveryLogFields {
  const fields: { -readonly [K in keyof DeliveryLogFields]: DeliveryLogFields[K] } = {
    stream: site.stream,
    group: site.group,
    entryId,
  };
  if (site.consumer !== undefined) fields.consumer = site.consumer;
  if (envelope !== undefined) fields.eventId = envelope.id;
  const eventType = envelope?.type ?? type;
  if (eventType !== undefined && eventType !== '') fields.type = eventType;
  if (attempt !== undefined) fields.attempt = attempt;
  const traceId = traceIdOf(envelope?.traceparent);
  if (traceId !== undefined) fields.traceId = traceId;
  return fields;
}

/**
 * Logs a handler failure: `warn` with the next retry's delay when it is
 * retried; when it is dead-lettered, the dead-letter record says so.
 */
export function logHandlerFailure(
  logger: Logger,
  fields: DeliveryLogFields,
  decision: FailureDecision,
): void {
  if (decision.action !== 'retry') return;
  logger.warn(
    { ...fields, retryInMs: decision.delayMs, error: decision.error },
    'handler failed; retrying after the backoff',
  );
}

/** Logs a dead-lettered entry (`error`), or one dropped because its group has the DLQ off. */
export function logDeadLettered(
  logger: Logger,
  fields: DeliveryLogFields,
  details: { readonly reason: string; readonly error: string | undefined; readonly dlq: boolean },
): void {
  const record = { ...fields, reason: details.reason, error: details.error };
  if (details.dlq) logger.error(record, 'entry moved to the dead-letter queue');
  else logger.error(record, 'entry dropped without a retry: the group has the DLQ off');
}

/** Logs (`info`) that a subscription started or stopped, on which streams. */
export function logSubscription(
  logger: Logger,
  what: 'started' | 'stopped',
  subscription: { readonly group: string; readonly consumer: string },
  streams: readonly string[],
): void {
  logger.info(
    { group: subscription.group, consumer: subscription.consumer, streams },
    `subscription ${what}`,
  );
}

/** Logs (`info`) a dead letter replayed to its group as the new entry `entryId`. */
export function logReplayed(logger: Logger, letter: DeadLetter, entryId: string): void {
  const fields = deliveryFields(letter, entryId, letter.event, undefined, letter.type);
  logger.info(
    { ...fields, deadLetterId: letter.id, originalEntryId: letter.entryId },
    'dead letter replayed to its group',
  );
}
