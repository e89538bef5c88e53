/** The in-memory bus and its clock. */

export { type Clock, ManualClock, systemClock } from './clock.js';
export { InMemoryEventBus, type InMemoryEventBusOptions } from './in-memory-event-bus.js';
export { DEFAULT_CLOSE_TIMEOUT_MS } from './memory-subscription.js';
