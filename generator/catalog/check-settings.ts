/**
 * Retry, backoff and consumer settings of `defaults` and of each group.
 */
import type { DocCircuitBreaker, DocSettings } from './document.js';
import { DURATION_EXAMPLES, parseDuration } from './duration.js';
import { describe, own, type Reader, type YamlMap } from './reader.js';
import { mergeSettings } from './settings.js';
import type { DocPath } from './source-map.js';

/** Keys a settings map may hold (a group adds `events`). */
export const SETTINGS_KEYS = [
  'circuitBreaker',
  'claimIdleMs',
  'dlq',
  'retry',
  'startFrom',
] as const;
const BREAKER_KEYS = ['coolDown', 'failureRate', 'minDeliveries', 'window'] as const;
const RETRY_KEYS = ['backoff', 'maxAttempts'] as const;
const BACKOFF_KEYS = ['factor', 'initialMs', 'jitter', 'maxMs'] as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Reads the settings of `map` (unknown keys of `map` itself are the
 * caller's to check): range errors are reported, invalid values left out.
 */
export function readSettings(reader: Reader, path: DocPath, map: YamlMap): DocSettings {
  const settings: Mutable<DocSettings> = { path };
  const retryValue = own(map, 'retry');
  if (retryValue !== undefined) {
    const retryPath = [...path, 'retry'];
    const retry = reader.map(retryPath, retryValue, '`retry`');
    if (retry) {
      reader.allowKeys(retryPath, retry, RETRY_KEYS, '`retry`');
      const maxAttempts = own(retry, 'maxAttempts');
      if (maxAttempts !== undefined) {
        const what = '`maxAttempts` (deliveries in all, the first included)';
        settings.maxAttempts = reader.integer([...retryPath, 'maxAttempts'], maxAttempts, what, 1);
      }
      readBackoff(reader, [...retryPath, 'backoff'], own(retry, 'backoff'), settings);
    }
  }
  const claimIdleMs = own(map, 'claimIdleMs');
  if (claimIdleMs !== undefined) {
    const what = '`claimIdleMs` (milliseconds)';
    settings.claimIdleMs = reader.integer([...path, 'claimIdleMs'], claimIdleMs, what, 1);
  }
  const dlq = own(map, 'dlq');
  if (dlq !== undefined) settings.dlq = reader.boolean([...path, 'dlq'], dlq, '`dlq`');
  const startFrom = own(map, 'startFrom');
  if (startFrom !== undefined) {
    const options = ['earliest', 'latest'] as const;
    settings.startFrom = reader.choice([...path, 'startFrom'], startFrom, '`startFrom`', options);
  }
  const breaker = own(map, 'circuitBreaker');
  if (breaker !== undefined) {
    settings.circuitBreaker = readBreaker(reader, [...path, 'circuitBreaker'], breaker);
  }
  return settings;
}

/** `circuitBreaker`: `true`, `false`, or a mapping of its fields (durations as elsewhere). */
function readBreaker(
  reader: Reader,
  path: DocPath,
  value: unknown,
): DocCircuitBreaker | false | undefined {
  if (typeof value === 'boolean') return value ? {} : false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    reader.issues.atValue(
      path,
      `\`circuitBreaker\` must be \`true\`, \`false\` or a mapping, got ${describe(value)}`,
      'write `circuitBreaker: true` for the defaults, or e.g. `{ failureRate: 0.5, minDeliveries: 10, window: 10s, coolDown: 30s }`',
    );
    return undefined;
  }
  const breaker = value as YamlMap;
  reader.allowKeys(path, breaker, BREAKER_KEYS, '`circuitBreaker`');
  const result: Mutable<DocCircuitBreaker> = {};
  const failureRate = own(breaker, 'failureRate');
  if (failureRate !== undefined) {
    const what = '`failureRate` (the share of failed deliveries that opens the breaker)';
    const range = { min: 0, max: 0.99 };
    result.failureRate = reader.number([...path, 'failureRate'], failureRate, what, range);
  }
  const minDeliveries = own(breaker, 'minDeliveries');
  if (minDeliveries !== undefined) {
    const what = '`minDeliveries` (deliveries in the window before it may open)';
    result.minDeliveries = reader.integer([...path, 'minDeliveries'], minDeliveries, what, 1);
  }
  for (const [key, field] of [
    ['window', 'windowMs'],
    ['coolDown', 'coolDownMs'],
  ] as const) {
    const text = own(breaker, key);
    if (text === undefined) continue;
    const ms = typeof text === 'string' ? parseDuration(text) : undefined;
    if (ms === undefined) {
      reader.issues.atValue(
        [...path, key],
        `\`${key}\` of \`circuitBreaker\` must be a duration, got ${describe(text)}`,
        `write a positive number and a unit, no space: ${DURATION_EXAMPLES}`,
      );
    } else result[field] = ms;
  }
  return result;
}

function readBackoff(
  reader: Reader,
  path: DocPath,
  value: unknown,
  settings: Mutable<DocSettings>,
): void {
  if (value === undefined) return;
  const backoff = reader.map(path, value, '`backoff`');
  if (!backoff) return;
  reader.allowKeys(path, backoff, BACKOFF_KEYS, '`backoff`');
  const field = (key: string): unknown => own(backoff, key);
  if (field('initialMs') !== undefined) {
    const what = '`initialMs` (milliseconds)';
    settings.initialMs = reader.integer([...path, 'initialMs'], field('initialMs'), what, 1);
  }
  if (field('factor') !== undefined) {
    settings.factor = reader.number([...path, 'factor'], field('factor'), '`factor`', { min: 1 });
  }
  if (field('maxMs') !== undefined) {
    const what = '`maxMs` (milliseconds)';
    settings.maxMs = reader.integer([...path, 'maxMs'], field('maxMs'), what, 1);
  }
  if (field('jitter') !== undefined) {
    const range = { min: 0, max: 1 };
    settings.jitter = reader.number([...path, 'jitter'], field('jitter'), '`jitter`', range);
  }
}

/**
 * Checks `maxMs >= initialMs` after merging, once per layer that sets one
 * of the two: `defaults` against the built-ins, each group against
 * `defaults`. Reported at the layer's `maxMs`, else its `initialMs`.
 */
export function checkBackoffBounds(
  reader: Reader,
  defaults: DocSettings,
  groups: readonly { readonly settings: DocSettings }[],
): void {
  const layers = [[defaults], ...groups.map((g) => [defaults, g.settings])];
  for (const stack of layers) {
    const layer = stack[stack.length - 1]!;
    if (layer.initialMs === undefined && layer.maxMs === undefined) continue;
    const { initialMs, maxMs } = mergeSettings(...stack).retry.backoff;
    if (maxMs >= initialMs) continue;
    const key = layer.maxMs !== undefined ? 'maxMs' : 'initialMs';
    const maxText = `${maxMs}${layer.maxMs === undefined ? ' (inherited)' : ''}`;
    const initialText = `${initialMs}${layer.initialMs === undefined ? ' (inherited)' : ''}`;
    reader.issues.atValue(
      [...layer.path, 'retry', 'backoff', key],
      `backoff \`maxMs\` ${maxText} is below \`initialMs\` ${initialText}; every delay would be capped below the first one`,
      key === 'maxMs'
        ? `raise \`maxMs\` to at least ${initialMs}`
        : `lower \`initialMs\`, or set \`maxMs\` to at least ${initialMs}`,
    );
  }
}
