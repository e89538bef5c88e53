import { describe, expect, it } from 'vitest';
import { noopMetrics } from '../../runtime/internal/metrics.js';
import { SkippedEntries } from '../../runtime/internal/skipped-entries.js';
import { StatsCounter } from '../../runtime/internal/stats.js';
import { captureLogger } from '../support/capture-logger.js';

describe('SkippedEntries', () => {
  it('counts every skipped entry, counts unknown types apart and logs each unknown type once', () => {
    const stats = new StatsCounter();
    const logger = captureLogger();
    const skipped = new SkippedEntries(
      { stats, metrics: noopMetrics, logger },
      'orders',
      'billing',
    );
    skipped.skipped('order.placed', 'type');
    skipped.skipped('order.refunded', 'unknown');
    skipped.skipped('order.refunded', 'unknown');
    skipped.skipped('order.disputed', 'unknown');
    skipped.skipped('order.placed', 'duplicate');
    expect(stats.skipped).toBe(5);
    expect(stats.unknownTypes).toBe(3);
    const warnings = logger.matching(/does not declare/);
    expect(warnings.map((w) => (w.obj as { type: string }).type)).toEqual([
      'order.refunded',
      'order.disputed',
    ]);
    expect(warnings[0]!.msg).toMatch(/group "billing".*deploy the catalogue that declares it/);
  });
});
