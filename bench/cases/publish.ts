/**
 * Publish throughput: the generated publisher (validation on) against raw
 * ioredis XADD of the same entry bytes, and BullMQ Queue.add / addBulk.
 * Redis is flushed before every run, so each starts from the same state.
 */
import { newQueue } from '../support/bullmq.js';
import { CAMPAIGN_STREAM_KEY, campaignCreated, campaignCreatedFields } from '../support/payload.js';
import { connect, runInFlight } from '../support/redis-helpers.js';
import { createPublisher, type Flavor, flavors } from '../support/schemabus.js';
import { ratePerSecond } from '../support/stats.js';
import type { BenchContext, Case, Check, Metric, Variant } from '../support/types.js';

const RATE: Metric = { name: 'rate', unit: 'events/s', better: 'higher' };
const POOL = 1024;

const payloads = Array.from({ length: POOL }, () => campaignCreated());
const entries = Array.from({ length: POOL }, () => campaignCreatedFields());

/** Untimed warm-up before each timed run, so JIT and connections are warm on both sides. */
const warmupOf = (n: number) => Math.min(2000, Math.ceil(n / 10));

const flush = (ctx: BenchContext) => ctx.admin.flushall().then(() => undefined);

/** Times `n` sends after a warm-up, `inFlight` outstanding at once. */
async function timeSends(n: number, inFlight: number, send: (i: number) => Promise<unknown>) {
  await runInFlight(warmupOf(n), inFlight, send);
  const t0 = performance.now();
  await runInFlight(n, inFlight, send);
  return { rate: ratePerSecond(n, t0, performance.now()) };
}

async function rawXadd(ctx: BenchContext, n: number, inFlight: number) {
  const redis = await connect(ctx.redisUrl, { enableAutoPipelining: true });
  try {
    return await timeSends(n, inFlight, (i) =>
      redis.xadd(CAMPAIGN_STREAM_KEY, '*', ...entries[i % POOL]!),
    );
  } finally {
    redis.disconnect();
  }
}

async function schemabusPublish(ctx: BenchContext, flavor: Flavor, n: number, inFlight: number) {
  const bus = flavor.redisBus(ctx.redisUrl);
  try {
    const publisher = createPublisher(bus);
    return await timeSends(n, inFlight, (i) => publisher.campaignCreated(payloads[i % POOL]!));
  } finally {
    await bus.close();
  }
}

async function bullmqAdd(ctx: BenchContext, n: number, inFlight: number) {
  const queue = newQueue(ctx, 'bench-add');
  try {
    await queue.waitUntilReady();
    return await timeSends(n, inFlight, (i) => queue.add('campaign.created', payloads[i % POOL]!));
  } finally {
    await queue.close();
  }
}

export function publishCase(quick: boolean): Case {
  const n = quick ? 2000 : 50_000;
  const nBull = quick ? 1000 : 20_000;
  const variants: Variant[] = [{ name: 'raw-xadd-1000', run: (ctx) => rawXadd(ctx, n, 1000) }];
  const checks: Check[] = [];
  for (const f of flavors()) {
    variants.push(
      { name: `schemabus-1000${f.suffix}`, run: (ctx) => schemabusPublish(ctx, f, n, 1000) },
      { name: `schemabus-100${f.suffix}`, run: (ctx) => schemabusPublish(ctx, f, n, 100) },
    );
    checks.push(
      {
        label: `publish${f.suffix} / raw XADD (1000 in flight, autopipelined)`,
        value: `publish/schemabus-1000${f.suffix}/rate`,
        over: 'publish/raw-xadd-1000/rate',
        target: { op: '>=', bound: 0.75 },
      },
      {
        label: `publish${f.suffix} / BullMQ Queue.add (100 in flight)`,
        value: `publish/schemabus-100${f.suffix}/rate`,
        over: 'publish/bullmq-add-100/rate',
        target: { op: '>=', bound: 2.5 },
      },
    );
  }
  variants.push({ name: 'bullmq-add-100', run: (ctx) => bullmqAdd(ctx, nBull, 100) });
  return {
    name: 'publish',
    title: 'publish, N in flight',
    metrics: [RATE],
    beforeRun: flush,
    variants,
    checks,
    note: 'a 300-byte campaign.created; raw XADD writes the same entry bytes, prebuilt',
  };
}

const BATCH = 100;
const BATCHES_IN_FLIGHT = 10;
const rawBatches = Array.from({ length: 16 }, () =>
  Array.from({ length: BATCH }, () => campaignCreatedFields()),
);
const batchItems = Array.from({ length: 16 }, () =>
  Array.from({ length: BATCH }, () => ({ type: 'campaign.created', data: campaignCreated() })),
);
const bullBatches = batchItems.map((items) =>
  items.map((item) => ({ name: item.type, data: item.data })),
);

interface BatchSide {
  send(b: number): Promise<unknown>;
  close(): Promise<unknown>;
}

function batchVariant(
  name: string,
  batches: number,
  open: (ctx: BenchContext) => Promise<BatchSide>,
): Variant {
  return {
    name,
    run: async (ctx) => {
      const side = await open(ctx);
      try {
        await runInFlight(Math.ceil(batches / 10), BATCHES_IN_FLIGHT, side.send);
        const t0 = performance.now();
        await runInFlight(batches, BATCHES_IN_FLIGHT, side.send);
        return { rate: ratePerSecond(batches * BATCH, t0, performance.now()) };
      } finally {
        await side.close();
      }
    },
  };
}

export function publishBatchCase(quick: boolean): Case {
  const batches = quick ? 20 : 500;
  const bullBatchCount = quick ? 10 : 150;
  const variants: Variant[] = [
    batchVariant('raw-pipeline', batches, async (ctx) => {
      const redis = await connect(ctx.redisUrl);
      return {
        send: (b) => {
          const pipeline = redis.pipeline();
          for (const fields of rawBatches[b % 16]!)
            pipeline.xadd(CAMPAIGN_STREAM_KEY, '*', ...fields);
          return pipeline.exec();
        },
        close: async () => redis.disconnect(),
      };
    }),
  ];
  const checks: Check[] = [];
  for (const f of flavors()) {
    variants.push(
      batchVariant(`schemabus${f.suffix}`, batches, async (ctx) => {
        const bus = f.redisBus(ctx.redisUrl);
        return { send: (b) => bus.publishBatch(batchItems[b % 16]!), close: () => bus.close() };
      }),
    );
    checks.push(
      {
        label: `publishBatch(100)${f.suffix} / raw pipeline of 100 XADD`,
        value: `batch/schemabus${f.suffix}/rate`,
        over: 'batch/raw-pipeline/rate',
        target: { op: '>=', bound: 0.75 },
      },
      {
        label: `publishBatch(100)${f.suffix} / BullMQ addBulk(100)`,
        value: `batch/schemabus${f.suffix}/rate`,
        over: 'batch/bullmq-addbulk/rate',
        target: { op: '>=', bound: 5 },
      },
    );
  }
  variants.push(
    batchVariant('bullmq-addbulk', bullBatchCount, async (ctx) => {
      const queue = newQueue(ctx, 'bench-bulk');
      await queue.waitUntilReady();
      return { send: (b) => queue.addBulk(bullBatches[b % 16]!), close: () => queue.close() };
    }),
  );
  return {
    name: 'batch',
    title: `publishBatch of ${BATCH}, ${BATCHES_IN_FLIGHT} batches in flight`,
    metrics: [RATE],
    beforeRun: flush,
    variants,
    checks,
  };
}

export function sequentialCase(quick: boolean): Case {
  const n = quick ? 300 : 5000;
  const variants: Variant[] = [{ name: 'raw-xadd', run: (ctx) => rawXadd(ctx, n, 1) }];
  const checks: Check[] = [];
  for (const f of flavors()) {
    variants.push({ name: `schemabus${f.suffix}`, run: (ctx) => schemabusPublish(ctx, f, n, 1) });
    checks.push({
      label: `sequential publish${f.suffix} / sequential raw XADD`,
      value: `sequential/schemabus${f.suffix}/rate`,
      over: 'sequential/raw-xadd/rate',
    });
  }
  return {
    name: 'sequential',
    title: 'sequential awaited publish',
    metrics: [RATE],
    beforeRun: flush,
    variants,
    checks,
  };
}
