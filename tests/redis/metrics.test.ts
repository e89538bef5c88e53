/**
 * The Redis bus on a prom-client registry: every consume outcome is labelled
 * with its stream, group and event type, as on the in-memory bus (skips too).
 */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { orderPlacedData } from '../contract/catalog.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

describe('Redis bus metrics', () => {
  it('labels acked and skipped entries with their event type', async () => {
    const registry = new Registry();
    const catalog = testCatalog();
    const bus = newBus(server(), catalog, { registry });
    bus.subscribe('shipping', { 'order.placed': async () => {} });
    await bus.publish('order.placed', orderPlacedData());
    await bus.publish('order.cancelled', {
      orderId: '0190a6e2-7c3b-7d4e-8f00-00000000000a',
      reason: 'changed my mind',
    });
    await waitFor(
      () => bus.stats().acked === 1 && bus.stats().skipped === 1,
      () => `one acked and one skipped, got ${JSON.stringify(bus.stats())}`,
    );
    const text = await registry.metrics();
    expect(text).toMatch(
      /schemabus_consumed_total\{stream="orders",group="shipping",type="order.placed",outcome="acked"\} 1/,
    );
    expect(text).toMatch(
      /schemabus_consumed_total\{stream="orders",group="shipping",type="order.cancelled",outcome="skipped"\} 1/,
    );
  });
});
