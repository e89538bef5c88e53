/** Defaults of `SubscribeOptions`, shared by both buses. */
import type { Envelope, SubscribeOptions } from '../bus.js';
import { defaultConsumerName } from './ids.js';

/** @default 1 */
export const DEFAULT_CONCURRENCY = 1;
/** Largest default batch size (the default is `10 * concurrency`, at most this). @default 100 */
export const MAX_DEFAULT_BATCH_SIZE = 100;
/** @default 2000 */
export const DEFAULT_BLOCK_MS = 2000;
/** Envelope ids remembered per consumer when `dedupe` is on. @default 10000 */
export const DEDUPE_WINDOW = 10_000;

/** `SubscribeOptions` with every default filled in. */
export interface ResolvedSubscribeOptions {
  readonly consumer: string;
  readonly concurrency: number;
  /** The user's batchSize, or the default: the most entries held (waiting or running). */
  readonly batchSize: number;
  /** Whether the user set batchSize (else the Redis consumer sizes its reads, see read-sizer.ts). */
  readonly batchSizeSet: boolean;
  readonly blockMs: number;
  readonly orderingKey: ((event: Envelope) => string | undefined) | undefined;
  readonly dedupe: boolean;
  /** As given (breaker-gate.ts merges it with the catalogue group's per consumer). */
  readonly circuitBreaker: SubscribeOptions['circuitBreaker'];
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`subscribe option ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** Fills the defaults of `options` and checks the numbers (RangeError when not positive integers). */
export function resolveSubscribeOptions(options: SubscribeOptions = {}): ResolvedSubscribeOptions {
  const concurrency = positiveInteger('concurrency', options.concurrency ?? DEFAULT_CONCURRENCY);
  const batchSize = positiveInteger(
    'batchSize',
    options.batchSize ?? Math.min(MAX_DEFAULT_BATCH_SIZE, 10 * concurrency),
  );
  const blockMs = positiveInteger('blockMs', options.blockMs ?? DEFAULT_BLOCK_MS);
  return {
    consumer: options.consumer ?? defaultConsumerName(),
    concurrency,
    batchSize,
    batchSizeSet: options.batchSize !== undefined,
    blockMs,
    orderingKey: options.orderingKey,
    dedupe: options.dedupe ?? false,
    circuitBreaker: checkBreaker(options.circuitBreaker),
  };
}

function checkBreaker(
  option: SubscribeOptions['circuitBreaker'],
): SubscribeOptions['circuitBreaker'] {
  if (typeof option !== 'object') return option;
  const { failureRate, minDeliveries, windowMs, coolDownMs } = option;
  if (failureRate !== undefined && !(failureRate >= 0 && failureRate < 1)) {
    throw new RangeError(
      `subscribe option circuitBreaker.failureRate must be a number from 0 up to (not including) 1, got ${failureRate}`,
    );
  }
  if (minDeliveries !== undefined) positiveInteger('circuitBreaker.minDeliveries', minDeliveries);
  if (windowMs !== undefined) positiveInteger('circuitBreaker.windowMs', windowMs);
  if (coolDownMs !== undefined) positiveInteger('circuitBreaker.coolDownMs', coolDownMs);
  return option;
}
