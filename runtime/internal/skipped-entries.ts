/**
 * Entries a consumer acks unseen: a type its group does not listen to, a
 * replay for another group, a duplicate (`dedupe`), or an event type the
 * catalogue does not know at all. The last is counted apart
 * (`stats().unknownTypes`, outcome `unknown_type`) and logged once per type:
 * a producer runs a newer catalogue than this consumer, and this group
 * never sees those events.
 */
import type { Logger } from '../bus.js';
import type { SkipCause } from './delivery-decisions.js';
import type { BusMetrics } from './metrics.js';
import type { StatsCounter } from './stats.js';

/** Counts the skipped entries of one consumer of one group on one stream. */
export class SkippedEntries {
  private readonly unknown = new Set<string>();

  constructor(
    private readonly deps: {
      readonly stats: StatsCounter;
      readonly metrics: BusMetrics;
      readonly logger: Logger;
    },
    private readonly stream: string,
    private readonly group: string,
  ) {}

  /** One entry of `type` acked unseen because of `cause`. */
  skipped(type: string, cause: SkipCause): void {
    const { stats, metrics, logger } = this.deps;
    stats.skipped++;
    if (cause !== 'unknown') {
      metrics.consumed(this.stream, this.group, type, 'skipped');
      return;
    }
    stats.unknownTypes++;
    metrics.consumed(this.stream, this.group, type, 'unknown_type');
    if (this.unknown.has(type)) return;
    this.unknown.add(type);
    logger.warn(
      { stream: this.stream, group: this.group, type },
      `entries of type "${type}", which this catalogue does not declare, are acked unseen by group "${this.group}" ` +
        '(a producer runs a newer catalogue?): deploy the catalogue that declares it to handle them; counted in stats().unknownTypes',
    );
  }
}
