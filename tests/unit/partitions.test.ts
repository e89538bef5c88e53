import { describe, expect, it } from 'vitest';
import type { CatalogStream } from '../../runtime/catalog.js';
import { ValidationError } from '../../runtime/errors.js';
import {
  fnv1a32,
  partitionFor,
  partitionKeyOf,
  partitionKeys,
  partitionOf,
} from '../../runtime/internal/partitions.js';

const base: CatalogStream = {
  name: 'orders',
  key: '{shop:orders}',
  dlqKey: '{shop:orders}:dlq',
  retention: { maxLen: 10 },
  groups: {},
  events: ['order.placed'],
};
const partitioned: CatalogStream = { ...base, partitions: { count: 4, key: 'customerId' } };

describe('partition routing (stored format: these vectors are computed independently and never change)', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
    ['é', 0x1e9de8c1],
  ])('fnv1a32(%j) = %i', (text, want) => {
    expect(fnv1a32(text)).toBe(want);
  });

  it.each([
    ['customer-1', 4, 3],
    ['customer-2', 4, 2],
    [42, 16, 3],
    ['42', 16, 3],
    ['acc-7', 1024, 902],
  ] as const)('partitionOf(%j, %i) = %i', (value, count, want) => {
    expect(partitionOf(value, count)).toBe(want);
  });
});

describe('partitionKeys', () => {
  it('gives an unpartitioned stream its own keys', () => {
    expect(partitionKeys(base)).toEqual([
      { index: 0, key: '{shop:orders}', dlqKey: '{shop:orders}:dlq' },
    ]);
  });

  it('gives each partition its own hash tag', () => {
    expect(partitionKeys(partitioned)).toEqual(
      [0, 1, 2, 3].map((i) => ({
        index: i,
        key: `{shop:orders:p${i}}`,
        dlqKey: `{shop:orders:p${i}}:dlq`,
      })),
    );
  });

  it('routes a payload by its partition key field', () => {
    const data = { customerId: 'customer-2' };
    expect(partitionFor(partitioned, data).key).toBe(
      `{shop:orders:p${partitionOf('customer-2', 4)}}`,
    );
    expect(partitionFor(base, data).key).toBe('{shop:orders}');
  });

  it('refuses a payload without a usable partition key', () => {
    expect(partitionKeyOf(partitioned, { customerId: 7 })).toBe(7);
    expect(() => partitionKeyOf(partitioned, { customerId: null }, 'order.placed')).toThrow(
      ValidationError,
    );
    expect(() => partitionKeyOf(partitioned, {}, 'order.placed')).toThrow(
      /partition key of stream orders/,
    );
  });
});
