/**
 * schemabus runtime: what generated code and services import.
 */
export { type Static, Type } from '@sinclair/typebox';
export type * from './bus.js';
export type * from './catalog.js';
export { type CreateBusOptions, type CreatedBus, createBus } from './create-bus.js';
export * from './errors.js';
export { baseRetryDelayMs, minRetryDelayMs, retryDelayMs } from './internal/backoff.js';
export {
  type ChannelSubscription,
  channelName,
  channelSubscription,
  decodeRealtimeMessage,
  encodeRealtimeMessage,
  escapeGlob,
  globToRegExp,
} from './internal/channels.js';
export {
  DEAD_LETTER_FIELDS,
  type DeadLetterInfo,
  decodeDeadLetter,
  encodeDeadLetter,
  matchesDeadLetterFilter,
  replayFields,
} from './internal/dead-letter-fields.js';
export {
  type DeliveryContext,
  type DeliveryDecision,
  decideAfterFailure,
  decideDelivery,
  type FailureDecision,
  invokeHandler,
  type SkipCause,
} from './internal/delivery-decisions.js';
export {
  DedupeWindow,
  Dispatcher,
  type DispatcherOptions,
  type StartTask,
} from './internal/dispatcher.js';
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
} from './internal/envelope.js';
export { checkHandlers, resolveGroup } from './internal/handler-table.js';
export { defaultConsumerName, eventIdTime, newEventId } from './internal/ids.js';
export { errorMessage, MAX_ERROR_LENGTH, noopLogger, redactUrl } from './internal/logger.js';
export {
  type BusMetrics,
  type ConsumeOutcome,
  createMetrics,
  HANDLER_DURATION_BUCKETS,
  noopMetrics,
} from './internal/metrics.js';
export { StatsCounter } from './internal/stats.js';
export {
  DEDUPE_WINDOW,
  DEFAULT_BLOCK_MS,
  DEFAULT_CONCURRENCY,
  MAX_DEFAULT_BATCH_SIZE,
  type ResolvedSubscribeOptions,
  resolveSubscribeOptions,
} from './internal/subscribe-options.js';
export { createValidators, type PayloadCheck, type Validators } from './internal/validate.js';
export {
  type Clock,
  DEFAULT_CLOSE_TIMEOUT_MS,
  InMemoryEventBus,
  type InMemoryEventBusOptions,
  ManualClock,
  systemClock,
} from './memory/index.js';
export * from './redis/index.js';
