/**
 * The schemabus side of the bench: the two buses and the code generated for
 * events.schema.yaml, used exactly as a service would use them.
 */
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

/** One implementation of the buses under test: the runtime, or a patched copy of it. */
export interface Flavor {
  /** Appended to variant names: `''` for the runtime, `+proto` for the copy. */
  readonly suffix: string;
  redisBus(url: string): EventBus;
  memoryBus(): EventBus;
}

const current: Flavor = { suffix: '', redisBus, memoryBus };
let proto: Flavor | undefined;

/**
 * Where `--proto` finds the patched runtime copy that bench/scratch/make-proto.sh builds
 * (a dot directory: neither tsc nor biome look at it).
 */
export const PROTO_RUNTIME = new URL('../scratch/.proto/runtime/', import.meta.url);

/** Loads the patched runtime copy, so every schemabus variant also runs as `<name>+proto`. */
export async function enableProto(): Promise<void> {
  const load = async <T>(path: string): Promise<T> => {
    try {
      return (await import(new URL(path, PROTO_RUNTIME).href)) as T;
    } catch (error) {
      throw new Error(
        `--proto needs the patched runtime copy: run bench/scratch/make-proto.sh first (${String(error).split('\n')[0]})`,
      );
    }
  };
  const redis = await load<{ RedisEventBus: typeof RedisEventBus }>('redis/index.ts');
  const memory = await load<{ InMemoryEventBus: typeof InMemoryEventBus }>('memory/index.ts');
  proto = {
    suffix: '+proto',
    redisBus: (url) => new redis.RedisEventBus({ catalog, redis: url }),
    memoryBus: () => new memory.InMemoryEventBus({ catalog }),
  };
}

/** The buses to measure: the runtime, and the patched copy after {@link enableProto}. */
export function flavors(): Flavor[] {
  return proto ? [current, proto] : [current];
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
