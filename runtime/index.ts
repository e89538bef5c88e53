/**
 * schemabus runtime: what generated code and services import.
 */
export { type Static, Type } from '@sinclair/typebox';
export { baseRetryDelayMs, minRetryDelayMs, retryDelayMs } from './backoff.js';
export type * from './bus.js';
export type * from './catalog.js';
export {
  type ChannelSubscription,
  channelName,
  channelSubscription,
  decodeRealtimeMessage,
  encodeRealtimeMessage,
  escapeGlob,
  globToRegExp,
} from './channels.js';
export { type CreateBusOptions, type CreatedBus, createBus } from './create-bus.js';
export {
  DEAD_LETTER_FIELDS,
  type DeadLetterInfo,
  decodeDeadLetter,
  encodeDeadLetter,
  matchesDeadLetterFilter,
  replayFields,
} from './dead-letter-fields.js';
export {
  type DeliveryContext,
  type DeliveryDecision,
  decideAfterFailure,
  decideDelivery,
  type FailureDecision,
  invokeHandler,
  type SkipCause,
} from './delivery.js';
export { DedupeWindow, Dispatcher, type DispatcherOptions, type StartTask } from './dispatch.js';
export {
  createEnvelope,
  type DecodeResult,
  decodeEntry,
  ENVELOPE_FIELDS,
  type EntryFields,
  encodeEnvelope,
  fieldsToRecord,
  MAX_ENTRY_BYTES,
  parseJsonSafely,
  recordToFields,
} from './envelope.js';
export * from './errors.js';
export { checkHandlers, resolveGroup } from './handler-table.js';
export { defaultConsumerName, eventIdTime, newEventId } from './ids.js';
export { errorMessage, MAX_ERROR_LENGTH, noopLogger, redactUrl } from './logger.js';
export {
  type Clock,
  DEFAULT_CLOSE_TIMEOUT_MS,
  InMemoryEventBus,
  type InMemoryEventBusOptions,
  ManualClock,
  systemClock,
} from './memory/index.js';
export {
  type BusMetrics,
  type ConsumeOutcome,
  createMetrics,
  HANDLER_DURATION_BUCKETS,
  noopMetrics,
} from './metrics.js';
export * from './redis/index.js';
export { StatsCounter } from './stats.js';
export {
  DEDUPE_WINDOW,
  DEFAULT_BLOCK_MS,
  DEFAULT_CONCURRENCY,
  MAX_DEFAULT_BATCH_SIZE,
  type ResolvedSubscribeOptions,
  resolveSubscribeOptions,
} from './subscribe-options.js';
export { createValidators, type PayloadCheck, type Validators } from './validate.js';
