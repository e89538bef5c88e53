/**
 * prom-client, loaded only when a bus is given a registry. It is an optional
 * peer dependency: a service that passes no registry runs without it
 * installed, and nothing here is imported at load time. It is resolved from
 * this package's location, which finds the project's own copy (the one its
 * `Registry` came from).
 *
 * Instruments are got or created by name, so several buses (or a bus and
 * the CLI's exporter) on one registry share them; an existing metric is
 * reused by its name alone (no `instanceof`, which would fail across copies
 * of prom-client).
 */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import type { MetricsRegistry } from '../introspection.js';
import { errorMessage } from './logger.js';

type Module = typeof PromClient;
type Registry = PromClient.Registry;

let loaded: Module | undefined;

/** The prom-client module; throws a TypeError saying how to install it when it cannot be loaded. */
export function promClient(): Module {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('prom-client') as Module;
    } catch (error) {
      throw new TypeError(
        `a metrics registry was given but prom-client cannot be loaded (${errorMessage(error)}): install it next to schemabus (npm install prom-client)`,
      );
    }
  }
  return loaded;
}

/** Settings common to the instruments made here. */
interface Spec {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

function existing<T>(registry: MetricsRegistry, name: string): T | undefined {
  return (registry.getSingleMetric(name) ?? undefined) as T | undefined;
}

function registers(registry: MetricsRegistry): Registry[] {
  return [registry as unknown as Registry];
}

/** The counter `spec.name` on `registry`, created when it is not there. */
export function counterOn(registry: MetricsRegistry, spec: Spec): PromClient.Counter<string> {
  return (
    existing(registry, spec.name) ??
    new (promClient().Counter)({
      ...spec,
      labelNames: [...(spec.labelNames ?? [])],
      registers: registers(registry),
    })
  );
}

/** The gauge `spec.name` on `registry`, created when it is not there. */
export function gaugeOn(registry: MetricsRegistry, spec: Spec): PromClient.Gauge<string> {
  return (
    existing(registry, spec.name) ??
    new (promClient().Gauge)({
      ...spec,
      labelNames: [...(spec.labelNames ?? [])],
      registers: registers(registry),
    })
  );
}

/** The histogram `spec.name` on `registry` with `buckets`, created when it is not there. */
export function histogramOn(
  registry: MetricsRegistry,
  spec: Spec & { readonly buckets: readonly number[] },
): PromClient.Histogram<string> {
  return (
    existing(registry, spec.name) ??
    new (promClient().Histogram)({
      ...spec,
      labelNames: [...(spec.labelNames ?? [])],
      buckets: [...spec.buckets],
      registers: registers(registry),
    })
  );
}
