/**
 * The schemabus side of the bench: the two buses and the code generated for
 * events.schema.yaml, used exactly as a service would use them.
 */

import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  catalog,
  createPublisher,
  type LifecycleServiceHandlers,
  onSystemAlerts,
  subscribeLifecycleService,
} from '../../generated/index.js';
import type { EventBus } from '../../runtime/bus.js';
import { InMemoryEventBus, RedisEventBus } from '../../runtime/index.js';

export { catalog, createPublisher, onSystemAlerts, subscribeLifecycleService };

/** A RedisEventBus of the example catalogue on `url`, default options. */
export function redisBus(url: string): EventBus {
  return new RedisEventBus({ catalog, redis: url });
}

/** An InMemoryEventBus of the example catalogue. */
export function memoryBus(): EventBus {
  return new InMemoryEventBus({ catalog });
}

/** One implementation of the buses under test: this checkout's runtime, or a baseline's. */
export interface Flavor {
  /** Appended to variant names: `''` for this checkout, `+base` for the baseline. */
  readonly suffix: string;
  redisBus(url: string): EventBus;
  memoryBus(): EventBus;
}

const current: Flavor = { suffix: '', redisBus, memoryBus };
let baseline: Flavor | undefined;

/** Names the baseline directory for child processes (the memory case's consumers). */
export const BASELINE_ENV = 'SCHEMABUS_BENCH_BASELINE';

/**
 * Loads the runtime of another checkout of schemabus (`git worktree add
 * /tmp/base main`, say) so every schemabus variant also runs on it as
 * `<name>+base`, alternating with this checkout's in the same run: a change
 * is measured against what it replaces on the same machine, at the same time.
 */
export async function enableBaseline(dir: string): Promise<void> {
  const entry = new URL('runtime/index.ts', pathToFileURL(resolve(dir) + sep));
  let runtime: { RedisEventBus: typeof RedisEventBus; InMemoryEventBus: typeof InMemoryEventBus };
  try {
    runtime = (await import(entry.href)) as typeof runtime;
  } catch (error) {
    throw new Error(
      `--baseline ${dir}: no schemabus runtime there (${String(error).split('\n')[0]}); give the root of another checkout`,
    );
  }
  process.env[BASELINE_ENV] = dir;
  baseline = {
    suffix: '+base',
    redisBus: (url) => new runtime.RedisEventBus({ catalog, redis: url }),
    memoryBus: () => new runtime.InMemoryEventBus({ catalog }),
  };
}

/** The buses to measure: this checkout's, and the baseline's after {@link enableBaseline}. */
export function flavors(): Flavor[] {
  return baseline ? [current, baseline] : [current];
}

/**
 * In a child process: the flavor of variant name `schemabus<suffix>`; loads
 * the baseline (named by {@link BASELINE_ENV}) for `schemabus+base`.
 */
export async function flavorNamed(name: string): Promise<Flavor> {
  if (name.endsWith('+base')) await enableBaseline(process.env[BASELINE_ENV] ?? '');
  const flavor = flavors().find((f) => `schemabus${f.suffix}` === name);
  if (!flavor) throw new Error(`unknown schemabus flavor ${name}`);
  return flavor;
}

/** Handlers of group `lifecycle-service` that all run `handler` (a no-op counter, say). */
export function lifecycleHandlers(handler: () => Promise<void>): LifecycleServiceHandlers {
  return {
    campaignBudgetExhausted: handler,
    campaignCreated: handler,
    campaignDeleted: handler,
    campaignStatusChanged: handler,
    campaignUpdated: handler,
  };
}

export type { EventBus };
