/** The Redis bus: RedisEventBus and its options. */

export type { RedisConnectionOption } from './connections.js';
export type { IdempotentPublishOptions } from './publisher.js';
export { RedisEventBus, type RedisEventBusOptions } from './redis-event-bus.js';
export type { RetentionOptions, TrimResult } from './retention-keeper.js';
export type { ConsumerTuning } from './stream-consumer.js';
