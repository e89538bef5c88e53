/**
 * Consume throughput from a pre-filled stream (300-byte payloads): one
 * subscription with a no-op handler, validation on, acks included, against a
 * raw XREADGROUP COUNT 100 loop that pipelines the XACK of a batch with the
 * next read (and the same loop plus JSON.parse of each entry), and BullMQ's
 * worker at concurrency 50. Every run rereads the same stream: its group is
 * reset to 0 before the run.
 */
import { newQueue, newWorker, prefillQueue } from '../support/bullmq.js';
import { CAMPAIGN_STREAM, campaignCreated, campaignCreatedFields } from '../support/payload.js';
import { rawConsume } from '../support/raw-consume.js';
import { connect, pendingCount, prefillStream, resetGroup } from '../support/redis-helpers.js';
import {
  type Flavor,
  flavors,
  lifecycleHandlers,
  subscribeLifecycleService,
} from '../support/schemabus.js';
import { ratePerSecond } from '../support/stats.js';
import type { BenchContext, Case, Check, Metric, Variant } from '../support/types.js';

const STREAM_KEY = '{campaigns:campaign-events}';
const RAW_GROUP = 'raw-bench';
const SB_GROUP = 'lifecycle-service';
const RATE: Metric = { name: 'rate', unit: 'events/s', better: 'higher' };
/** A run that has not finished after this long fails (and the bench goes on). */
const RUN_TIMEOUT_MS = 120_000;

function deadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish in ${RUN_TIMEOUT_MS} ms`)),
      RUN_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function schemabusConsume(ctx: BenchContext, flavor: Flavor, n: number, concurrency: number) {
  const bus = flavor.redisBus(ctx.redisUrl);
  try {
    await bus.bootstrap();
    await resetGroup(ctx.admin, STREAM_KEY, SB_GROUP);
    let handled = 0;
    let finish: (at: number) => void = () => {};
    const finished = new Promise<number>((resolve) => {
      finish = resolve;
    });
    const handler = async () => {
      if (++handled === n) finish(performance.now());
    };
    const t0 = performance.now();
    const sub = subscribeLifecycleService(bus, lifecycleHandlers(handler), { concurrency });
    try {
      const t1 = await deadline(finished, `schemabus consume (concurrency ${concurrency})`);
      return { rate: ratePerSecond(n, t0, t1) };
    } finally {
      await sub.close({ timeoutMs: 5000 });
      const pending = await pendingCount(ctx.admin, STREAM_KEY, SB_GROUP);
      if (pending > 0) ctx.log(`  warning: ${pending} entries left unacked by schemabus`);
    }
  } finally {
    await bus.close();
  }
}

async function bullmqWorker(ctx: BenchContext, n: number) {
  const queue = newQueue(ctx, 'bench-worker');
  const payload = campaignCreated();
  await prefillQueue(queue, n, () => payload);
  let completed = 0;
  let finish: (at: number) => void = () => {};
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const t0 = performance.now();
  const worker = newWorker(ctx, queue, 50, async () => {});
  worker.on('completed', () => {
    if (++completed === n) finish(performance.now());
  });
  try {
    const t1 = await deadline(finished, 'BullMQ worker');
    return { rate: ratePerSecond(n, t0, t1) };
  } finally {
    await worker.close();
    await queue.close();
  }
}

export function consumeCase(quick: boolean): Case {
  const n = quick ? 5000 : 200_000;
  const nBull = quick ? 1000 : 20_000;
  const raw = (parse: boolean) => async (ctx: BenchContext) => {
    await resetGroup(ctx.admin, STREAM_KEY, RAW_GROUP);
    const redis = await connect(ctx.redisUrl);
    try {
      return {
        rate: await deadline(rawConsume(redis, STREAM_KEY, RAW_GROUP, n, parse), 'raw consume'),
      };
    } finally {
      redis.disconnect();
    }
  };
  const variants: Variant[] = [
    { name: 'raw', run: raw(false) },
    { name: 'raw+parse', run: raw(true) },
  ];
  const checks: Check[] = [];
  for (const f of flavors()) {
    const sb = (c: number) => `consume/schemabus-c${c}${f.suffix}/rate`;
    for (const c of [1, 10, 100]) {
      variants.push({
        name: `schemabus-c${c}${f.suffix}`,
        run: (ctx) => schemabusConsume(ctx, f, n, c),
      });
    }
    checks.push(
      {
        label: `consume c10${f.suffix} / raw XREADGROUP+XACK`,
        value: sb(10),
        over: 'consume/raw/rate',
        target: { op: '>=', bound: 0.72 },
      },
      {
        label: `consume c10${f.suffix} / raw + JSON.parse`,
        value: sb(10),
        over: 'consume/raw+parse/rate',
        target: { op: '>=', bound: 0.92 },
      },
      { label: `consume c1${f.suffix} / raw`, value: sb(1), over: 'consume/raw/rate' },
      { label: `consume c100${f.suffix} / raw`, value: sb(100), over: 'consume/raw/rate' },
      {
        label: `consume c10${f.suffix} / BullMQ worker c50`,
        value: sb(10),
        over: 'consume/bullmq-worker-c50/rate',
        target: { op: '>=', bound: 5 },
      },
    );
  }
  variants.push({ name: 'bullmq-worker-c50', run: (ctx) => bullmqWorker(ctx, nBull) });
  checks.push({
    label: 'raw + JSON.parse / raw',
    value: 'consume/raw+parse/rate',
    over: 'consume/raw/rate',
  });
  return {
    name: 'consume',
    title: `consume ${n} pre-filled entries`,
    metrics: [RATE],
    setup: async (ctx) => {
      await prefillStream(ctx.admin, STREAM_KEY, n, () => campaignCreatedFields());
      ctx.log(`  consume: pre-filled ${n} entries in ${CAMPAIGN_STREAM}`);
    },
    variants,
    checks,
    note: 'schemabus with default batchSize (10 x concurrency, at most 100): c10 reads 100 per XREADGROUP like the raw loop',
  };
}
