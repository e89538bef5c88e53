/**
 * Child process of the memory case: a consumer (raw loop or schemabus
 * subscription) that processes `count` entries of a large backlog and reports
 * its RSS when idle (connected, nothing read), once a tenth of the entries is
 * handled (the one-time costs of starting to consume are paid by then: JIT,
 * validators, V8 growing its young generation), at its peak while consuming
 * (sampled every 20 ms) and after. Run with --expose-gc; answers over IPC.
 *
 * argv: <raw|schemabus|schemabus+base> <redis url> <count>
 */
import { DATA_FIELD_INDEX } from './payload.js';
import { rawConsume } from './raw-consume.js';
import { connect } from './redis-helpers.js';
import { flavorNamed, lifecycleHandlers, subscribeLifecycleService } from './schemabus.js';

export interface RssReport {
  readonly idleMb: number;
  /** RSS once a tenth of the entries is handled. */
  readonly warmMb: number;
  readonly peakMb: number;
  /** Peak RSS after the warm mark. */
  readonly peakAfterWarmMb: number;
  /** RSS after `count` entries, after a full GC, still connected (and, for schemabus, subscribed). */
  readonly endMb: number;
  /** Heap used after a full GC at the end minus the same when idle: what the consumer retains. */
  readonly heapRetainedMb: number;
  readonly processed: number;
  readonly rate: number;
}

const MB = 1024 * 1024;
const STREAM_KEY = '{campaigns:campaign-events}';
const RAW_GROUP = 'raw-rss';
const SAMPLE_MS = 20;
const TIMEOUT_MS = 120_000;

/** RSS and heap used after two full GCs. */
const settle = async () => {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  globalThis.gc?.();
  return { rss: process.memoryUsage.rss(), heap: process.memoryUsage().heapUsed };
};

interface Hooks {
  /** Connected, nothing read yet. */
  idle(): Promise<void>;
  /** A tenth of the entries handled. */
  warm(): void;
  /** `count` entries handled; the consumer is still running (schemabus) or just stopped (raw). */
  done(): Promise<void>;
}

async function consume(mode: string, url: string, count: number, hooks: Hooks) {
  if (mode === 'raw') {
    const redis = await connect(url);
    await hooks.idle();
    try {
      const first = Math.floor(count / 10);
      const t0 = performance.now();
      await rawConsume(redis, STREAM_KEY, RAW_GROUP, first, DATA_FIELD_INDEX);
      hooks.warm();
      await rawConsume(redis, STREAM_KEY, RAW_GROUP, count - first, DATA_FIELD_INDEX);
      const t1 = performance.now();
      await hooks.done();
      return (count * 1000) / (t1 - t0);
    } finally {
      redis.disconnect();
    }
  }
  const flavor = await flavorNamed(mode);
  const bus = flavor.redisBus(url);
  await bus.bootstrap();
  await hooks.idle();
  let handled = 0;
  let finish: (at: number) => void = () => {};
  const finished = new Promise<number>((resolve, reject) => {
    finish = resolve;
    setTimeout(() => reject(new Error(`handled ${handled} of ${count}`)), TIMEOUT_MS).unref();
  });
  const warmAt = Math.floor(count / 10);
  const handler = async () => {
    if (++handled === warmAt) hooks.warm();
    if (handled === count) finish(performance.now());
  };
  const t0 = performance.now();
  const sub = subscribeLifecycleService(bus, lifecycleHandlers(handler), { concurrency: 10 });
  const t1 = await finished;
  await hooks.done();
  await sub.close({ timeoutMs: 5000 });
  await bus.close();
  return (count * 1000) / (t1 - t0);
}

async function main() {
  const [mode = 'raw', url = '', countText = '0'] = process.argv.slice(2);
  const count = Number(countText);
  let idle = { rss: 0, heap: 0 };
  let end = { rss: 0, heap: 0 };
  let peak = 0;
  let warm = 0;
  let peakAfterWarm = 0;
  let sampling = false;
  const sample = () => {
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    if (warm > 0) peakAfterWarm = Math.max(peakAfterWarm, rss);
  };
  const sampler = setInterval(() => {
    if (sampling) sample();
  }, SAMPLE_MS);
  const rate = await consume(mode, url, count, {
    idle: async () => {
      idle = await settle();
      peak = idle.rss;
      sampling = true;
    },
    warm: () => {
      warm = process.memoryUsage.rss();
      sample();
    },
    done: async () => {
      sampling = false;
      sample();
      end = await settle();
    },
  });
  clearInterval(sampler);
  const report: RssReport = {
    idleMb: idle.rss / MB,
    warmMb: warm / MB,
    peakMb: peak / MB,
    peakAfterWarmMb: peakAfterWarm / MB,
    endMb: end.rss / MB,
    heapRetainedMb: (end.heap - idle.heap) / MB,
    processed: count,
    rate,
  };
  process.send?.(report);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
