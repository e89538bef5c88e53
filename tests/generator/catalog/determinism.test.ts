/**
 * Loading is deterministic, and the fingerprint depends on meaning, not layout.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../generator/catalog/index.js';
import type { CatalogModel } from '../../../generator/catalog/model.js';
import { BASE, withLines } from './base-catalog.js';

/** BASE with every map written in another order and another style. */
const REORDERED = `
events:
  payment.captured:
    payload:
      properties:
        amount: { $ref: "#/types/Money" }
      required: [amount]
      type: object
    stream: payment-events
  order.shipped:
    payload:
      properties: { carrier: { type: string } }
      type: object
    stream: order-events
  order.placed:
    realtime: order-status
    payload:
      properties:
        total: { $ref: "#/types/Money" }
        orderId: { format: uuid, type: string }
      type: object
      required: [orderId, total]
    stream: order-events
channels:
  order-status: { pattern: "order:{orderId}:status" }
streams:
  payment-events:
    groups: { audit-service: {} }
    retention: { maxAge: 7d }
  order-events:
    groups:
      audit-service:
        events: [order.placed]
      billing-service:
    retention:
      maxLen: 1000
types:
  Money:
    properties:
      currency: { type: string }
      amount: { type: integer }
    required: [amount, currency]
    type: object
source: order-service
namespace: shop
schemabus: 1
`;

function modelOf(text: string): CatalogModel {
  const result = loadCatalog(text, 'shop.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.model;
}

describe('determinism', () => {
  it('gives deep-equal models and the same fingerprint when loading twice', () => {
    const first = modelOf(BASE);
    const second = modelOf(BASE);
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('gives the same fingerprint for a reordered but equivalent catalogue', () => {
    const base = modelOf(BASE);
    const reordered = modelOf(REORDERED);
    expect(reordered.catalog.fingerprint).toBe(base.catalog.fingerprint);
    expect(Object.keys(reordered.catalog.streams)).toEqual(['order-events', 'payment-events']);
    expect(reordered.events.map((e) => e.type)).toEqual([
      'order.placed',
      'order.shipped',
      'payment.captured',
    ]);
  });

  it('changes the fingerprint when the meaning changes', () => {
    const base = modelOf(BASE);
    const changed = modelOf(withLines({ 13: '    retention: { maxLen: 2000 }' }));
    expect(changed.catalog.fingerprint).not.toBe(base.catalog.fingerprint);
  });

  it('sorts every map of the runtime catalogue by name', () => {
    const { catalog } = modelOf(REORDERED);
    expect(Object.keys(catalog.streams['order-events']!.groups)).toEqual([
      'audit-service',
      'billing-service',
    ]);
    expect(Object.keys(catalog.events)).toEqual([
      'order.placed',
      'order.shipped',
      'payment.captured',
    ]);
  });
});
