/**
 * Group settings: the built-in defaults, and the merge of built-ins,
 * `defaults:` and one group's own settings (the most specific wins).
 */
import type { CatalogGroup, RetryPolicy } from '../../runtime/catalog.js';
import type { DocSettings } from './document.js';

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

/** The effective settings of a group, every field present. */
export type EffectiveSettings = Pick<CatalogGroup, 'retry' | 'claimIdleMs' | 'dlq' | 'startFrom'>;

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
  return {
    retry,
    claimIdleMs: pick('claimIdleMs') ?? DEFAULT_CLAIM_IDLE_MS,
    dlq: pick('dlq') ?? DEFAULT_DLQ,
    startFrom: pick('startFrom') ?? DEFAULT_START_FROM,
  };
}
