/**
 * A small hand-written catalogue for the contract suite, with short backoffs
 * and claim times so the same tests run quickly on Redis and in memory.
 * Each test builds it for its own namespace, so keys never collide.
 */
import type { Catalog, CatalogGroup, JsonSchema, RetryPolicy } from '../../runtime/catalog.js';

/** Backoff of every group: 20 ms, doubling, +-20 %. */
export const TEST_RETRY: RetryPolicy = {
  maxAttempts: 3,
  backoff: { initialMs: 20, factor: 2, maxMs: 1000, jitter: 0.2 },
};
/** claimIdleMs of every group. */
export const TEST_CLAIM_IDLE_MS = 300;
/** Partitions of the `ledger` stream. */
export const LEDGER_PARTITIONS = 4;
/** maxLen of the `metrics` stream (the retention test). */
export const METRICS_MAX_LEN = 5;

const orderPlaced: JsonSchema = {
  type: 'object',
  required: ['orderId', 'customer', 'amount', 'items'],
  properties: {
    orderId: { type: 'string', format: 'uuid' },
    customer: {
      type: 'object',
      required: ['email'],
      properties: {
        email: { type: 'string', format: 'email' },
        name: { type: 'string', minLength: 1 },
      },
    },
    amount: { $ref: '#/$defs/Money' },
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['sku', 'qty'],
        properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
      },
    },
    note: { type: 'string', maxLength: 200 },
    placedAt: { type: 'string', format: 'date-time' },
  },
  $defs: {
    Money: {
      type: 'object',
      required: ['amount', 'currency'],
      properties: {
        amount: { type: 'integer' },
        currency: { type: 'string', pattern: '^[A-Z]{3}$' },
      },
    },
  },
};

const ledgerEntry: JsonSchema = {
  type: 'object',
  required: ['accountId', 'seq', 'amount'],
  properties: {
    accountId: { type: 'string', minLength: 1 },
    seq: { type: 'integer', minimum: 0 },
    amount: { type: 'integer' },
  },
};

function group(
  stream: string,
  name: string,
  events: string[],
  overrides: Partial<CatalogGroup> = {},
): CatalogGroup {
  return {
    name,
    stream,
    events: [...events].sort(),
    retry: TEST_RETRY,
    claimIdleMs: TEST_CLAIM_IDLE_MS,
    dlq: true,
    startFrom: 'earliest',
    ...overrides,
  };
}

/**
 * The test catalogue under `namespace`:
 * - stream `orders`: `order.placed`, `order.cancelled` (also realtime on `order-status`);
 *   groups `billing` (both), `shipping` (`order.placed` only), `audit` (both);
 * - stream `jobs`: `job.requested`; groups `workers` (4 attempts), `quiet` (dlq off, 2 attempts);
 * - stream `metrics` (maxLen 5): `metric.recorded`; groups `fast`, `slow`;
 * - stream `ledger`, partitioned ({@link LEDGER_PARTITIONS} partitions by `accountId`):
 *   `ledger.credited`, `ledger.debited` (both `{accountId, seq, amount}`); group `balances` (both);
 * - realtime only: `system.alert` on channel `alerts` (`alerts:{level}`).
 */
export function createTestCatalog(namespace: string): Catalog {
  const key = (stream: string) => `{${namespace}:${stream}}`;
  return {
    format: 1,
    namespace,
    source: 'contract-tests',
    fingerprint: `test-${namespace}`,
    streams: {
      jobs: {
        name: 'jobs',
        key: key('jobs'),
        dlqKey: `${key('jobs')}:dlq`,
        retention: { maxLen: 100_000 },
        groups: {
          quiet: group('jobs', 'quiet', ['job.requested'], {
            dlq: false,
            retry: { ...TEST_RETRY, maxAttempts: 2 },
          }),
          workers: group('jobs', 'workers', ['job.requested'], {
            retry: { ...TEST_RETRY, maxAttempts: 4 },
          }),
        },
        events: ['job.requested'],
      },
      ledger: {
        name: 'ledger',
        key: key('ledger'),
        dlqKey: `${key('ledger')}:dlq`,
        retention: { maxLen: 100_000 },
        groups: {
          balances: group('ledger', 'balances', ['ledger.credited', 'ledger.debited']),
        },
        events: ['ledger.credited', 'ledger.debited'],
        partitions: { count: LEDGER_PARTITIONS, key: 'accountId' },
      },
      metrics: {
        name: 'metrics',
        key: key('metrics'),
        dlqKey: `${key('metrics')}:dlq`,
        retention: { maxLen: METRICS_MAX_LEN },
        groups: {
          fast: group('metrics', 'fast', ['metric.recorded']),
          slow: group('metrics', 'slow', ['metric.recorded']),
        },
        events: ['metric.recorded'],
      },
      orders: {
        name: 'orders',
        description: 'Order lifecycle',
        key: key('orders'),
        dlqKey: `${key('orders')}:dlq`,
        retention: { maxLen: 100_000 },
        groups: {
          audit: group('orders', 'audit', ['order.placed', 'order.cancelled']),
          billing: group('orders', 'billing', ['order.placed', 'order.cancelled']),
          shipping: group('orders', 'shipping', ['order.placed']),
        },
        events: ['order.cancelled', 'order.placed'],
      },
    },
    channels: {
      alerts: {
        name: 'alerts',
        pattern: 'alerts:{level}',
        params: ['level'],
        prefix: `${namespace}:`,
        events: ['system.alert'],
      },
      'order-status': {
        name: 'order-status',
        pattern: 'order:{orderId}:status',
        params: ['orderId'],
        prefix: `${namespace}:`,
        events: ['order.cancelled'],
      },
    },
    events: {
      'job.requested': {
        type: 'job.requested',
        stream: 'jobs',
        schema: {
          type: 'object',
          required: ['jobId', 'key', 'seq'],
          properties: {
            jobId: { type: 'string', minLength: 1 },
            key: { type: 'string' },
            seq: { type: 'integer', minimum: 0 },
          },
        },
      },
      'ledger.credited': { type: 'ledger.credited', stream: 'ledger', schema: ledgerEntry },
      'ledger.debited': { type: 'ledger.debited', stream: 'ledger', schema: ledgerEntry },
      'metric.recorded': {
        type: 'metric.recorded',
        stream: 'metrics',
        schema: {
          type: 'object',
          required: ['name', 'value'],
          properties: { name: { type: 'string' }, value: { type: 'number' } },
        },
      },
      'order.cancelled': {
        type: 'order.cancelled',
        stream: 'orders',
        channel: 'order-status',
        schema: {
          type: 'object',
          required: ['orderId', 'reason'],
          properties: {
            orderId: { type: 'string', format: 'uuid' },
            reason: { type: 'string', minLength: 1 },
          },
        },
      },
      'order.placed': { type: 'order.placed', stream: 'orders', schema: orderPlaced },
      'system.alert': {
        type: 'system.alert',
        channel: 'alerts',
        schema: {
          type: 'object',
          required: ['level', 'message'],
          properties: {
            level: { type: 'string', enum: ['info', 'warn', 'critical'] },
            message: { type: 'string' },
          },
        },
      },
    },
  };
}

/** A valid `order.placed` payload; `overrides` replace top-level fields. */
export function orderPlacedData(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: '0190a6e2-7c3b-7d4e-8f00-123456789abc',
    customer: { email: 'ada@example.com', name: 'Ada' },
    amount: { amount: 1299, currency: 'EUR' },
    items: [{ sku: 'book-1', qty: 1 }],
    ...overrides,
  };
}
