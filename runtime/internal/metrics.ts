/**
 * Optional prom-client instruments of what a bus does. A bus given a
 * `registry` registers them there (reusing ones already registered by another
 * bus on the same registry); without one every call is a no-op and
 * prom-client is never loaded.
 *
 * - `schemabus_published_total{type,outcome}` outcome: ok | rejected | failed
 * - `schemabus_consumed_total{stream,group,type,outcome}` outcome: acked | skipped | unknown_type | retried | dead_lettered | lost
 * - `schemabus_handler_duration_seconds{group,type,outcome}` outcome: ok | error
 * - `schemabus_realtime_total{channel,direction}` direction: sent | received
 * - `schemabus_retention_forced_total{stream}` (Redis: trims past the hard cap)
 * - `schemabus_circuit_state{stream,group}` a consumer's circuit breaker: 0 closed, 1 half-open, 2 open
 * - `schemabus_circuit_opened_total{stream,group}` times a circuit breaker opened
 *
 * The gauges of streams and groups are `bus-gauges.ts`.
 */
import type { MetricsRegistry } from '../introspection.js';
import type { BreakerState } from './circuit-breaker.js';
import { counterOn, gaugeOn, histogramOn } from './prom-client.js';

/** What happened to a delivered (or fetched) entry. */
export type ConsumeOutcome =
  | 'acked'
  | 'skipped'
  | 'unknown_type'
  | 'retried'
  | 'dead_lettered'
  | 'lost';

/** The instruments a bus reports to. */
export interface BusMetrics {
  published(type: string, outcome: 'ok' | 'rejected' | 'failed', count?: number): void;
  consumed(stream: string, group: string, type: string, outcome: ConsumeOutcome): void;
  handlerDuration(group: string, type: string, seconds: number, ok: boolean): void;
  realtime(channel: string, direction: 'sent' | 'received'): void;
  /** A retention trim removed entries a group had not acked (the hard cap). */
  retentionForced(stream: string): void;
  /** A consumer's circuit breaker is now in `state` (counted as an opening when `open`). */
  circuitState(stream: string, group: string, state: BreakerState): void;
}

/** `schemabus_circuit_state` of each breaker state. */
export const CIRCUIT_STATE_VALUES: Readonly<Record<BreakerState, number>> = {
  closed: 0,
  'half-open': 1,
  open: 2,
};

/** Metrics that record nothing. */
export const noopMetrics: BusMetrics = Object.freeze({
  published() {},
  consumed() {},
  handlerDuration() {},
  realtime() {},
  retentionForced() {},
  circuitState() {},
});

/** Buckets of the handler duration histogram, in seconds. */
export const HANDLER_DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** Instruments on `registry`, or {@link noopMetrics} when none is given. */
export function createMetrics(registry?: MetricsRegistry): BusMetrics {
  if (registry === undefined) return noopMetrics;
  const published = counterOn(registry, {
    name: 'schemabus_published_total',
    help: 'Events published, by outcome',
    labelNames: ['type', 'outcome'],
  });
  const consumed = counterOn(registry, {
    name: 'schemabus_consumed_total',
    help: 'Stream entries consumed, by outcome',
    labelNames: ['stream', 'group', 'type', 'outcome'],
  });
  const realtime = counterOn(registry, {
    name: 'schemabus_realtime_total',
    help: 'Realtime messages',
    labelNames: ['channel', 'direction'],
  });
  const forced = counterOn(registry, {
    name: 'schemabus_retention_forced_total',
    help: 'Retention trims that removed entries a group had not acked (hard cap reached)',
    labelNames: ['stream'],
  });
  const circuit = gaugeOn(registry, {
    name: 'schemabus_circuit_state',
    help: "A consumer's circuit breaker: 0 closed, 1 half-open, 2 open",
    labelNames: ['stream', 'group'],
  });
  const opened = counterOn(registry, {
    name: 'schemabus_circuit_opened_total',
    help: 'Times a consumer circuit breaker opened',
    labelNames: ['stream', 'group'],
  });
  const duration = histogramOn(registry, {
    name: 'schemabus_handler_duration_seconds',
    help: 'Handler run time in seconds',
    labelNames: ['group', 'type', 'outcome'],
    buckets: HANDLER_DURATION_BUCKETS,
  });

  // Label children cached by their joined values: cheaper than prom-client's per-call hashing.
  const children = new Map<string, { inc(n?: number): void }>();
  const histograms = new Map<string, { observe(v: number): void }>();
  function child(metric: typeof published, key: string, labels: Record<string, string>) {
    let c = children.get(key);
    if (c === undefined) {
      c = metric.labels(labels);
      children.set(key, c);
    }
    return c;
  }

  return {
    published(type, outcome, count = 1) {
      child(published, `p\u0000${type}\u0000${outcome}`, { type, outcome }).inc(count);
    },
    consumed(stream, group, type, outcome) {
      child(consumed, `c\u0000${stream}\u0000${group}\u0000${type}\u0000${outcome}`, {
        stream,
        group,
        type,
        outcome,
      }).inc();
    },
    handlerDuration(group, type, seconds, ok) {
      const outcome = ok ? 'ok' : 'error';
      const key = `${group}\u0000${type}\u0000${outcome}`;
      let h = histograms.get(key);
      if (h === undefined) {
        h = duration.labels({ group, type, outcome });
        histograms.set(key, h);
      }
      h.observe(seconds);
    },
    realtime(channel, direction) {
      child(realtime, `r\u0000${channel}\u0000${direction}`, { channel, direction }).inc();
    },
    retentionForced(stream) {
      child(forced, `f\u0000${stream}`, { stream }).inc();
    },
    circuitState(stream, group, state) {
      circuit.labels({ stream, group }).set(CIRCUIT_STATE_VALUES[state]);
      if (state === 'open') opened.labels({ stream, group }).inc();
    },
  };
}
