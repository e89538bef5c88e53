/**
 * The gauges of a catalogue's streams and groups on a prom-client registry,
 * set from `inspect()`, and the counters of `stats()` no instrument counts as
 * it happens (data loss, realtime gaps). `MetricsRefresher` feeds them.
 *
 * - `schemabus_stream_length{stream}`, `schemabus_dlq_length{stream}`
 * - `schemabus_stream_entries_added_total{stream}` (Redis 7.0+: entries ever added)
 * - `schemabus_group_lag|pending|consumers{stream,group}`
 * - `schemabus_group_idle_seconds{stream,group}` (smallest idle time of its consumers)
 * - `schemabus_group_oldest_pending_age_seconds{stream,group}` (0 with nothing pending)
 * - `schemabus_group_lagging_past_retention{stream,group}` (0 or 1)
 * - `schemabus_data_loss_total`, `schemabus_realtime_gaps_total`
 * - `schemabus_inspect_success` (0 or 1), `schemabus_inspect_duration_seconds`
 *
 * Every refresh replaces the stream and group series at once (reset, then
 * set, in one synchronous step a scrape cannot fall into), so a group that
 * is gone leaves no stale series. A catalogue group missing on Redis reports
 * 0 consumers. One catalogue per registry: two would share the series of
 * streams with the same name.
 */
import type { BusHealth, BusInspection, BusStats } from '../bus.js';
import type { Catalog } from '../catalog.js';
import type { MetricsRegistry } from '../introspection.js';
import { counterOn, gaugeOn } from './prom-client.js';

const STREAM = ['stream'];
const GROUP = ['stream', 'group'];

/** The stats() counters mirrored as counters: name, help, field. */
const STATS_COUNTERS = [
  [
    'schemabus_data_loss_total',
    'Times Redis came back without data the bus had seen (DataLossError)',
    'dataLoss',
  ],
  [
    'schemabus_realtime_gaps_total',
    'Times the realtime connection was away and resubscribed (RealtimeGapError)',
    'realtimeGaps',
  ],
] as const;

/** The instruments of one registry, and what this source last added to its counters. */
export class BusGauges {
  readonly #streamLength;
  readonly #entriesAdded;
  readonly #dlqLength;
  readonly #lag;
  readonly #pending;
  readonly #consumers;
  readonly #idle;
  readonly #oldestAge;
  readonly #lagging;
  readonly #success;
  readonly #duration;
  readonly #stats;
  readonly #subscriptions;
  /** The stats() values already added to the counters (each bus adds its own). */
  readonly #counted = new Map<string, number>();

  constructor(registry: MetricsRegistry) {
    const gauge = (name: string, help: string, labelNames: string[] = []) =>
      gaugeOn(registry, { name, help, labelNames });
    this.#streamLength = gauge('schemabus_stream_length', 'Entries in the stream', STREAM);
    this.#entriesAdded = counterOn(registry, {
      name: 'schemabus_stream_entries_added_total',
      help: 'Entries ever added to the stream, trimmed ones included (Redis 7.0+)',
      labelNames: STREAM,
    });
    this.#dlqLength = gauge(
      'schemabus_dlq_length',
      'Entries in the dead-letter queue of the stream',
      STREAM,
    );
    this.#lag = gauge(
      'schemabus_group_lag',
      'Entries not yet delivered to the group (absent when Redis cannot tell)',
      GROUP,
    );
    this.#pending = gauge(
      'schemabus_group_pending',
      'Entries delivered to the group and not acked yet',
      GROUP,
    );
    this.#consumers = gauge(
      'schemabus_group_consumers',
      'Consumers the group has (Redis keeps crashed ones until idleConsumerTimeoutMs)',
      GROUP,
    );
    this.#idle = gauge(
      'schemabus_group_idle_seconds',
      'Seconds since the most recently active consumer of the group last read',
      GROUP,
    );
    this.#oldestAge = gauge(
      'schemabus_group_oldest_pending_age_seconds',
      'Age of the oldest entry delivered to the group and not acked, since its publish (0 with nothing pending)',
      GROUP,
    );
    this.#lagging = gauge(
      'schemabus_group_lagging_past_retention',
      '1 when the group holds the stream past its retention',
      GROUP,
    );
    this.#success = gauge(
      'schemabus_inspect_success',
      '1 when the last inspection of Redis answered, else 0',
    );
    this.#duration = gauge(
      'schemabus_inspect_duration_seconds',
      'How long the last inspection took',
    );
    this.#subscriptions = gauge(
      'schemabus_subscription_state',
      '1 for the state each subscription of this process is in (running, reconnecting, paused, closing)',
      ['group', 'consumer', 'state'],
    );
    this.#stats = STATS_COUNTERS.map(([name, help, field]) => ({
      field,
      counter: counterOn(registry, { name, help }),
    }));
  }

  /** Replaces every stream and group series with what `inspection` says. */
  setInspection(inspection: BusInspection, catalog: Catalog, durationSeconds: number): void {
    for (const g of [this.#streamLength, this.#dlqLength, this.#lag, this.#pending]) g.reset();
    for (const g of [this.#consumers, this.#idle, this.#oldestAge, this.#lagging]) g.reset();
    for (const s of inspection.streams) {
      const stream = { stream: s.name };
      this.#streamLength.set(stream, s.length);
      this.#dlqLength.set(stream, s.dlqLength);
      this.#entriesAdded.remove(stream);
      if (s.entriesAdded !== null) this.#entriesAdded.inc(stream, s.entriesAdded);
      for (const g of s.groups) {
        const labels = { stream: s.name, group: g.name };
        if (g.lag !== null) this.#lag.set(labels, g.lag);
        this.#pending.set(labels, g.pending);
        this.#consumers.set(labels, g.consumers.length);
        if (g.consumers.length > 0) {
          this.#idle.set(labels, Math.min(...g.consumers.map((c) => c.idleMs)) / 1000);
        }
        this.#oldestAge.set(labels, (g.oldestPendingAgeMs ?? 0) / 1000);
        this.#lagging.set(labels, g.laggingPastRetention ? 1 : 0);
      }
      const present = new Set(s.groups.map((g) => g.name));
      for (const group of Object.keys(catalog.streams[s.name]?.groups ?? {})) {
        if (!present.has(group)) this.#consumers.set({ stream: s.name, group }, 0);
      }
    }
    this.#success.set(1);
    this.#duration.set(durationSeconds);
  }

  /** Replaces the subscription series with what `health` says. */
  setHealth(health: BusHealth): void {
    this.#subscriptions.reset();
    for (const s of health.subscriptions) {
      this.#subscriptions.set({ group: s.group, consumer: s.consumer, state: s.state }, 1);
    }
  }

  /** Notes an inspection that failed: the series keep their last values. */
  setFailure(durationSeconds: number): void {
    this.#success.set(0);
    this.#duration.set(durationSeconds);
  }

  /** Adds to the counters what `stats` counted since the last call. */
  setStats(stats: BusStats): void {
    for (const { field, counter } of this.#stats) {
      const delta = stats[field] - (this.#counted.get(field) ?? 0);
      if (delta > 0) counter.inc(delta);
      this.#counted.set(field, stats[field]);
    }
  }
}
