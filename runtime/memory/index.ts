/** The in-memory bus and its clock. */
export { InMemoryEventBus, type InMemoryEventBusOptions } from './bus.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export { DEFAULT_CLOSE_TIMEOUT_MS } from './subscription.js';
