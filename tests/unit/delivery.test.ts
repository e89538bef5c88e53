import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../runtime/errors.js';
import { decideAfterFailure, decideDelivery } from '../../runtime/internal/delivery-decisions.js';
import { encodeEnvelope } from '../../runtime/internal/entry-codec.js';
import { createEnvelope } from '../../runtime/internal/envelope.js';
import { createValidators } from '../../runtime/internal/validate.js';
import { createTestCatalog, orderPlacedData } from '../contract/catalog.js';

const catalog = createTestCatalog('d');
const shipping = catalog.streams.orders!.groups.shipping!;
const handler = async () => {};
const ctx = {
  group: shipping,
  handlers: { 'order.placed': handler },
  validators: createValidators(catalog),
};
const fields = (type: string, data: unknown, replayfor?: string) =>
  encodeEnvelope({ ...createEnvelope(catalog, type, data), ...(replayfor && { replayfor }) });

describe('decideDelivery', () => {
  it('handles a valid entry of a listed type', () => {
    const decision = decideDelivery(ctx, fields('order.placed', orderPlacedData()), 1);
    expect(decision).toMatchObject({ action: 'handle', handler });
  });

  it('skips types the group does not list and replays for other groups', () => {
    expect(decideDelivery(ctx, fields('order.cancelled', {}), 1)).toEqual({
      action: 'skip',
      cause: 'type',
      type: 'order.cancelled',
    });
    expect(decideDelivery(ctx, fields('order.placed', orderPlacedData(), 'billing'), 1)).toEqual({
      action: 'skip',
      cause: 'replay',
      type: 'order.placed',
    });
    expect(
      decideDelivery(ctx, fields('order.placed', orderPlacedData(), 'shipping'), 1),
    ).toMatchObject({ action: 'handle' });
  });

  it('dead-letters undecodable, invalid, and over-delivered entries', () => {
    expect(decideDelivery(ctx, { type: 'order.placed', data: '{' }, 1)).toMatchObject({
      action: 'dead-letter',
      reason: 'undecodable',
    });
    expect(decideDelivery(ctx, { data: '{}' }, 1)).toMatchObject({ reason: 'undecodable' });
    expect(decideDelivery(ctx, fields('order.placed', { orderId: 'x' }), 1)).toMatchObject({
      reason: 'invalid',
      error: expect.stringMatching(/\/customer is required.*\/orderId must match format/),
    });
    expect(decideDelivery(ctx, fields('order.placed', orderPlacedData()), 4)).toMatchObject({
      reason: 'exhausted',
    });
  });

  it('skips duplicates when dedupe is on', () => {
    const f = fields('order.placed', orderPlacedData());
    const { id } = JSON.parse(f[3]!) as { id: string };
    expect(decideDelivery({ ...ctx, seen: new Set([id]) }, f, 1)).toMatchObject({
      action: 'skip',
      cause: 'duplicate',
      type: 'order.placed',
    });
  });
});

describe('decideAfterFailure', () => {
  it('retries, then dead-letters on the last attempt or at once for NonRetryableError', () => {
    expect(decideAfterFailure(shipping, new Error('x'), 1, () => 0.5)).toEqual({
      action: 'retry',
      delayMs: 20,
      error: 'x',
    });
    expect(decideAfterFailure(shipping, new Error('x'), 2, () => 0.5)).toMatchObject({
      delayMs: 40,
    });
    expect(decideAfterFailure(shipping, new Error('x'), 3)).toMatchObject({
      action: 'dead-letter',
      reason: 'exhausted',
    });
    expect(decideAfterFailure(shipping, new NonRetryableError('bad'), 1)).toEqual({
      action: 'dead-letter',
      reason: 'non-retryable',
      error: 'NonRetryableError: bad',
    });
  });
});
