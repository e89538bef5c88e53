/** The Redis bus: RedisEventBus and its options. */
export { RedisEventBus, type RedisEventBusOptions } from './bus.js';
export type { RedisConnectionOption } from './connection.js';
export type { ConsumerTuning } from './consumer.js';
export type { IdempotentPublishOptions } from './publish.js';
export type { RetentionOptions, TrimResult } from './retention.js';
