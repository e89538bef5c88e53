import { describe, expect, it } from 'vitest';
import { CatalogMismatchError } from '../../runtime/errors.js';
import { checkHandlers, resolveGroup } from '../../runtime/internal/handler-table.js';
import { resolveSubscribeOptions } from '../../runtime/internal/subscribe-options.js';
import { createTestCatalog } from '../contract/catalog.js';

const catalog = createTestCatalog('ns');
const noop = async () => {};

describe('checkHandlers', () => {
  it('accepts exactly the group events', () => {
    const groups = checkHandlers(catalog, 'billing', {
      'order.placed': noop,
      'order.cancelled': noop,
    });
    expect(groups.map((g) => g.stream)).toEqual(['orders']);
  });

  it('names missing and unknown handlers', () => {
    let error: unknown;
    try {
      checkHandlers(catalog, 'shipping', { 'order.cancelled': noop, 'order.plced': noop });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogMismatchError);
    const message = (error as Error).message;
    expect(message).toMatch(/missing a handler for order.placed/);
    expect(message).toMatch(/order.cancelled, order.plced \(did you mean "order.placed"\?\)/);
  });

  it('rejects an unknown group with a hint', () => {
    expect(() => resolveGroup(catalog, 'biling')).toThrow(
      /unknown group "biling".*did you mean "billing"/,
    );
  });
});

describe('resolveSubscribeOptions', () => {
  it('fills defaults', () => {
    const o = resolveSubscribeOptions();
    expect(o).toMatchObject({ concurrency: 1, batchSize: 10, blockMs: 2000, dedupe: false });
    expect(o.consumer).toMatch(/-\d+-[0-9a-f]{4}$/);
    expect(resolveSubscribeOptions({ concurrency: 50 }).batchSize).toBe(100);
  });

  it('rejects non-positive numbers', () => {
    expect(() => resolveSubscribeOptions({ concurrency: 0 })).toThrow(RangeError);
    expect(() => resolveSubscribeOptions({ batchSize: 1.5 })).toThrow(/batchSize/);
  });
});
