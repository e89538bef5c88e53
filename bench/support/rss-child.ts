/**
 * Child process of the memory case: a consumer (raw loop or schemabus
 * subscription) that processes `count` entries of a large backlog and reports
 * its RSS when idle (connected, nothing read), at its peak while consuming
 * (sampled every 20 ms) and after. Run with --expose-gc; answers over IPC.
 *
 * argv: <raw|schemabus|schemabus+proto> <redis url> <count>
 */
import { rawConsume } from './raw-consume.js';
import { connect } from './redis-helpers.js';
import { enableProto, flavors, lifecycleHandlers, subscribeLifecycleService } from './schemabus.js';

export interface RssReport {
  readonly idleMb: number;
  readonly peakMb: number;
  readonly endMb: number;
  readonly processed: number;
  readonly rate: number;
}

const MB = 1024 * 1024;
const STREAM_KEY = '{campaigns:campaign-events}';
const RAW_GROUP = 'raw-rss';
const SAMPLE_MS = 20;
const TIMEOUT_MS = 120_000;

const settle = async () => {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 200));
  globalThis.gc?.();
  return process.memoryUsage.rss();
};

async function consume(mode: string, url: string, count: number, idle: () => Promise<void>) {
  if (mode === 'raw') {
    const redis = await connect(url);
    await idle();
    try {
      return await rawConsume(redis, STREAM_KEY, RAW_GROUP, count, true);
    } finally {
      redis.disconnect();
    }
  }
  if (mode.endsWith('+proto')) await enableProto();
  const flavor = flavors().find((f) => `schemabus${f.suffix}` === mode);
  if (!flavor) throw new Error(`unknown consumer ${mode}`);
  const bus = flavor.redisBus(url);
  await bus.bootstrap();
  await idle();
  let handled = 0;
  let finish: (at: number) => void = () => {};
  const finished = new Promise<number>((resolve, reject) => {
    finish = resolve;
    setTimeout(() => reject(new Error(`handled ${handled} of ${count}`)), TIMEOUT_MS).unref();
  });
  const handler = async () => {
    if (++handled === count) finish(performance.now());
  };
  const t0 = performance.now();
  const sub = subscribeLifecycleService(bus, lifecycleHandlers(handler), { concurrency: 10 });
  const t1 = await finished;
  await sub.close({ timeoutMs: 5000 });
  await bus.close();
  return (count * 1000) / (t1 - t0);
}

async function main() {
  const [mode = 'raw', url = '', countText = '0'] = process.argv.slice(2);
  const count = Number(countText);
  let idleRss = 0;
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_MS);
  const rate = await consume(mode, url, count, async () => {
    idleRss = await settle();
    peak = idleRss;
  });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  const report: RssReport = {
    idleMb: idleRss / MB,
    peakMb: peak / MB,
    endMb: (await settle()) / MB,
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
