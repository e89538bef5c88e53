/**
 * Keeps the gauges of a bus (`bus-gauges.ts`) fresh: every interval it calls
 * the bus's public `inspect()` and `stats()` and sets the gauges and
 * counters from them. Both buses run one when given a `registry` (option
 * `metricsIntervalMs`); `schemabus metrics`, the exporter, runs its own and
 * reads `last` for its `/healthz`.
 */
import type { BusHealth, BusInspection, BusStats, Logger } from '../bus.js';
import type { Catalog } from '../catalog.js';
import type { MetricsRegistry } from '../introspection.js';
import { BusGauges } from './bus-gauges.js';
import { errorMessage, noopLogger } from './logger.js';

/** How often a bus with a registry refreshes its gauges by default. */
export const DEFAULT_METRICS_INTERVAL_MS = 15_000;

/** What a refresher reads: a bus (the public `EventBus` methods it calls). */
export interface MetricsSource {
  readonly catalog: Catalog;
  inspect(): Promise<BusInspection>;
  stats(): BusStats;
  /** The bus's health, when it has one: the subscription states and the connections. */
  health?(): Promise<BusHealth>;
}

/** How one refresh went. */
export interface MetricsRefresh {
  /** Whether `inspect()` answered (the gauges are from this refresh). */
  readonly ok: boolean;
  /** When it finished. */
  readonly at: Date;
  readonly durationMs: number;
  /** Why it failed (one line, no credentials). */
  readonly error?: string;
  /** The source's health, taken with this refresh (when it has one). */
  readonly health?: BusHealth;
}

/** Options of {@link MetricsRefresher}. */
export interface MetricsRefresherOptions {
  /** Where a failing refresh is reported (once, then again when it works). @default none */
  readonly logger?: Logger | undefined;
}

/**
 * Sets the gauges of `source`'s streams and groups (and its stats counters)
 * on `registry`, on demand (`refresh`) or on an interval (`start`).
 */
export class MetricsRefresher {
  readonly #source: MetricsSource;
  readonly #gauges: BusGauges;
  readonly #logger: Logger;
  #last: MetricsRefresh | undefined;
  #running: Promise<MetricsRefresh> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #stopped = false;

  constructor(source: MetricsSource, registry: MetricsRegistry, options?: MetricsRefresherOptions) {
    this.#source = source;
    this.#gauges = new BusGauges(registry);
    this.#logger = options?.logger ?? noopLogger;
  }

  /** The last refresh that finished, undefined before the first. */
  get last(): MetricsRefresh | undefined {
    return this.#last;
  }

  /** Refreshes now (or joins the refresh under way); never rejects. */
  refresh(): Promise<MetricsRefresh> {
    this.#running ??= this.#refresh().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Refreshes now and then every `intervalMs` (the timer does not keep the process alive). */
  start(intervalMs: number): void {
    if (!(intervalMs > 0))
      throw new RangeError(`metrics interval must be > 0 ms, got ${intervalMs}`);
    if (this.#timer !== undefined || this.#stopped) return;
    this.#timer = setInterval(() => void this.refresh(), intervalMs);
    this.#timer.unref();
    setImmediate(() => {
      if (!this.#stopped) void this.refresh();
    });
  }

  /** Stops refreshing; the stats counters are brought up to date a last time. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#gauges.setStats(this.#source.stats());
  }

  async #refresh(): Promise<MetricsRefresh> {
    const started = performance.now();
    let outcome: MetricsRefresh;
    try {
      const inspection = await this.#source.inspect();
      const durationMs = performance.now() - started;
      const health = await this.#source.health?.();
      if (!this.#stopped) {
        this.#gauges.setInspection(inspection, this.#source.catalog, durationMs / 1000);
        this.#gauges.setStats(this.#source.stats());
        if (health) this.#gauges.setHealth(health);
      }
      outcome = { ok: true, at: new Date(), durationMs, ...(health && { health }) };
      if (this.#last?.ok === false) this.#logger.info({}, 'metrics refresh works again');
    } catch (error) {
      const durationMs = performance.now() - started;
      outcome = { ok: false, at: new Date(), durationMs, error: errorMessage(error) };
      if (this.#stopped) return outcome;
      this.#gauges.setFailure(durationMs / 1000);
      this.#gauges.setStats(this.#source.stats());
      if (this.#last?.ok !== false) {
        this.#logger.warn(
          { error: outcome.error },
          'metrics refresh failed: the gauges keep their last values until it works again',
        );
      }
    }
    if (!this.#stopped) this.#last = outcome;
    return outcome;
  }
}

/**
 * The refresher a bus runs for its `registry` option, started; none without
 * a registry or with `intervalMs` 0.
 */
export function startBusRefresher(
  bus: MetricsSource,
  registry: MetricsRegistry | undefined,
  intervalMs: number = DEFAULT_METRICS_INTERVAL_MS,
  logger?: Logger,
): MetricsRefresher | undefined {
  if (registry === undefined || intervalMs === 0) return undefined;
  const refresher = new MetricsRefresher(bus, registry, { logger });
  refresher.start(intervalMs);
  return refresher;
}
