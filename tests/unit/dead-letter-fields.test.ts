import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  decodeDeadLetter,
  encodeDeadLetter,
  matchesDeadLetterFilter,
  replayFields,
} from '../../runtime/internal/dead-letter-fields.js';
import { errorMessage, redactUrl } from '../../runtime/internal/logger.js';
import { createMetrics } from '../../runtime/internal/metrics.js';
import { StatsCounter } from '../../runtime/internal/stats.js';

describe('dead letter fields', () => {
  const info = {
    group: 'billing',
    entryId: '1-0',
    reason: 'exhausted' as const,
    error: 'x'.repeat(2000),
    attempts: 3,
    firstFailureAt: '2024-01-01T00:00:00.000Z',
    lastFailureAt: '2024-01-01T00:00:01.000Z',
  };
  const original = ['type', 'order.placed', 'dlq:group', 'evil', 'replayfor', 'old', 'data', '{}'];

  it('round-trips, metadata first and positional', () => {
    const letter = decodeDeadLetter('orders', '9-0', encodeDeadLetter(info, original));
    expect(letter).toMatchObject({ ...info, error: 'x'.repeat(1000), id: '9-0', stream: 'orders' });
    expect(letter.type).toBe('order.placed');
    expect(letter.fields).toEqual({
      type: 'order.placed',
      'dlq:group': 'evil',
      replayfor: 'old',
      data: '{}',
    });
    expect(replayFields(letter)).toEqual([
      'type',
      'order.placed',
      'dlq:group',
      'evil',
      'data',
      '{}',
      'replayfor',
      'billing',
    ]);
  });

  it('filters', () => {
    const letter = decodeDeadLetter('orders', '9-0', encodeDeadLetter(info, original));
    expect(matchesDeadLetterFilter(letter)).toBe(true);
    expect(matchesDeadLetterFilter(letter, { group: 'billing', reason: 'exhausted' })).toBe(true);
    expect(matchesDeadLetterFilter(letter, { type: 'order.cancelled' })).toBe(false);
    expect(matchesDeadLetterFilter(letter, { ids: ['1-0'] })).toBe(false);
  });
});

describe('stats, metrics, logger helpers', () => {
  it('snapshots counters', () => {
    const stats = new StatsCounter();
    stats.published += 2;
    const snap = stats.snapshot();
    stats.published++;
    expect(snap.published).toBe(2);
    expect(Object.isFrozen(snap)).toBe(true);
  });

  it('registers instruments once per registry', async () => {
    const registry = new Registry();
    const a = createMetrics(registry);
    const b = createMetrics(registry);
    a.published('order.placed', 'ok');
    b.published('order.placed', 'ok', 2);
    a.consumed('orders', 'billing', 'order.placed', 'acked');
    a.handlerDuration('billing', 'order.placed', 0.01, true);
    a.realtime('ns:x', 'sent');
    const text = await registry.metrics();
    expect(text).toMatch(/schemabus_published_total\{type="order.placed",outcome="ok"\} 3/);
    expect(text).toMatch(/schemabus_handler_duration_seconds_count\{group="billing"/);
  });

  it('describes errors without their command and redacts URLs', () => {
    const error = Object.assign(new TypeError('boom'), { command: { args: ['secret'] } });
    expect(errorMessage(error)).toBe('TypeError: boom');
    expect(errorMessage('x'.repeat(2000)).length).toBe(1000);
    expect(redactUrl('redis://user:pw@host:6379/0')).toBe('redis://***@host:6379/0');
  });
});
