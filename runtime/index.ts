/**
 * schemabus: the runtime that generated code and services import.
 *
 * This is the whole public surface; what is not exported here is internal
 * and may change in any release. Values: `createBus`, the two buses, the
 * error classes, `ManualClock` for tests, `decodeEntry` and `redactUrl` for
 * tools, `MetricsRefresher` for exporters, and TypeBox's `Type`. The rest are
 * types.
 */

// TypeBox, for the schemas of generated `events.ts` (and hand-written ones).
export { type Static, Type } from '@sinclair/typebox';
// The contract: envelope, publish, subscribe, realtime, dead letters, introspection.
export type * from './bus.js';
export type * from './catalog.js';
export { type CreateBusOptions, type CreatedBus, createBus } from './create-bus.js';
export {
  CatalogMismatchError,
  ClosedError,
  ConnectionError,
  type ConnectionErrorOptions,
  DataLossError,
  type LostStream,
  NonRetryableError,
  PublishOutcomeUnknownError,
  RealtimeGapError,
  SchemabusError,
  UnderReplicatedError,
  ValidationError,
  type ValidationIssue,
} from './errors.js';
export type { BreakerState, CircuitBreakerOptions } from './internal/circuit-breaker.js';
export { type DecodeResult, decodeEntry } from './internal/entry-codec.js';
export type { EntryFields } from './internal/entry-fields.js';
export { redactUrl } from './internal/logger.js';
export {
  type MetricsRefresh,
  MetricsRefresher,
  type MetricsRefresherOptions,
  type MetricsSource,
} from './internal/metrics-refresher.js';
export { type Clock, ManualClock } from './memory/clock.js';
export {
  InMemoryEventBus,
  type InMemoryEventBusOptions,
} from './memory/in-memory-event-bus.js';
export type {
  RedisConnectionOption,
  RedisConnectionOptions,
} from './redis/connection-options.js';
export type { IdempotentPublishOptions } from './redis/publisher.js';
export { RedisEventBus } from './redis/redis-event-bus.js';
export type { RedisEventBusOptions } from './redis/redis-event-bus-options.js';
export type { RetentionOptions } from './redis/retention-keeper.js';
export type { ConsumerTuning } from './redis/stream-consumer.js';
export type { TailEntry, TailOptions } from './redis/stream-tail.js';
