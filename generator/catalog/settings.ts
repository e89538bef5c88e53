/**
 * Group settings: the built-in defaults, and the merge of built-ins,
 * `defaults:` and one group's own settings (the most specific wins).
 */
import type { CatalogCircuitBreaker, CatalogGroup, RetryPolicy } from '../../runtime/catalog.js';
import type { DocCircuitBreaker, DocSettings } from './document.js';

/** Deliveries in all before dead-lettering, when nothing else is said. */
export const DEFAULT_MAX_ATTEMPTS = 4;
/** Delay before the second attempt, in ms. */
export const DEFAULT_INITIAL_MS = 200;
/** Growth of the delay per attempt. */
export const DEFAULT_FACTOR = 2;
/** Upper bound of one delay, in ms. */
export const DEFAULT_MAX_MS = 30_000;
/** Random spread of a delay, as a fraction of it. */
export const DEFAULT_JITTER = 0.2;
/** Idle time after which a pending entry is taken from a consumer presumed dead, in ms. */
export const DEFAULT_CLAIM_IDLE_MS = 60_000;
/** Whether exhausted entries go to the dead-letter stream. */
export const DEFAULT_DLQ = true;
/** Where a new group starts reading. */
export const DEFAULT_START_FROM = 'latest';

/** Share of failed deliveries over the window that opens a circuit breaker. */
export const DEFAULT_FAILURE_RATE = 0.5;
/** The fewest deliveries in the window before a circuit breaker may open. */
export const DEFAULT_MIN_DELIVERIES = 10;
/** How far back a circuit breaker counts deliveries, in ms. */
export const DEFAULT_WINDOW_MS = 10_000;
/** How long a circuit breaker stays open before one delivery is tried, in ms. */
export const DEFAULT_COOL_DOWN_MS = 30_000;

/** The effective settings of a group, every field present (`circuitBreaker` when on). */
export type EffectiveSettings = Pick<
  CatalogGroup,
  'retry' | 'claimIdleMs' | 'dlq' | 'startFrom' | 'circuitBreaker'
>;

/** Merges settings layers, later layers overriding earlier ones field by field. */
export function mergeSettings(...layers: readonly DocSettings[]): EffectiveSettings {
  const pick = <K extends keyof DocSettings>(key: K): DocSettings[K] | undefined => {
    let found: DocSettings[K] | undefined;
    for (const layer of layers) if (layer[key] !== undefined) found = layer[key];
    return found;
  };
  const retry: RetryPolicy = {
    maxAttempts: pick('maxAttempts') ?? DEFAULT_MAX_ATTEMPTS,
    backoff: {
      initialMs: pick('initialMs') ?? DEFAULT_INITIAL_MS,
      factor: pick('factor') ?? DEFAULT_FACTOR,
      maxMs: pick('maxMs') ?? DEFAULT_MAX_MS,
      jitter: pick('jitter') ?? DEFAULT_JITTER,
    },
  };
  const circuitBreaker = mergeBreaker(layers);
  return {
    retry,
    claimIdleMs: pick('claimIdleMs') ?? DEFAULT_CLAIM_IDLE_MS,
    dlq: pick('dlq') ?? DEFAULT_DLQ,
    startFrom: pick('startFrom') ?? DEFAULT_START_FROM,
    ...(circuitBreaker === undefined ? {} : { circuitBreaker }),
  };
}

/** The circuit breaker of the layers: `false` turns it off, a mapping adds its fields to the ones above. */
function mergeBreaker(layers: readonly DocSettings[]): CatalogCircuitBreaker | undefined {
  let merged: DocCircuitBreaker | undefined;
  for (const layer of layers) {
    const breaker = layer.circuitBreaker;
    if (breaker === false) merged = undefined;
    else if (breaker !== undefined) {
      merged = { ...merged };
      for (const [key, value] of Object.entries(breaker)) {
        if (value !== undefined) (merged as Record<string, number>)[key] = value;
      }
    }
  }
  if (merged === undefined) return undefined;
  return {
    failureRate: merged.failureRate ?? DEFAULT_FAILURE_RATE,
    minDeliveries: merged.minDeliveries ?? DEFAULT_MIN_DELIVERIES,
    windowMs: merged.windowMs ?? DEFAULT_WINDOW_MS,
    coolDownMs: merged.coolDownMs ?? DEFAULT_COOL_DOWN_MS,
  };
}
