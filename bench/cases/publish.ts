/**
 * Publish throughput: the generated publisher (validation on) against raw
 * ioredis XADD of the same two fields built by hand, and BullMQ Queue.add /
 * addBulk. Every producer builds a fresh payload per send (no pool of
 * reused objects), the raw one also its JSON. Redis is flushed before every
 * run, so each starts from the same state.
 */
import { newQueue } from '../support/bullmq.js';
import {
  CAMPAIGN_CREATED,
  CAMPAIGN_STREAM_KEY,
  type CampaignCreated,
  campaignCreated,
  handBuiltFields,
} from '../support/payload.js';
import { connect, runInFlight } from '../support/redis-helpers.js';
import { createPublisher, type Flavor, flavors } from '../support/schemabus.js';
import { ratePerSecond } from '../support/stats.js';
import type { BenchContext, Case, Check, Metric, Variant } from '../support/types.js';

const RATE: Metric = { name: 'rate', unit: 'events/s', better: 'higher' };

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
    return await timeSends(n, inFlight, () =>
      redis.xadd(CAMPAIGN_STREAM_KEY, '*', ...handBuiltFields(campaignCreated())),
    );
  } finally {
    redis.disconnect();
  }
}

async function schemabusPublish(ctx: BenchContext, flavor: Flavor, n: number, inFlight: number) {
  const bus = flavor.redisBus(ctx.redisUrl);
  try {
    const publisher = createPublisher(bus);
    return await timeSends(n, inFlight, () => publisher.campaignCreated(campaignCreated()));
  } finally {
    await bus.close();
  }
}

async function bullmqAdd(ctx: BenchContext, n: number, inFlight: number) {
  const queue = newQueue(ctx, 'bench-add');
  try {
    await queue.waitUntilReady();
    return await timeSends(n, inFlight, () => queue.add(CAMPAIGN_CREATED, campaignCreated()));
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
        target: { op: '>=', bound: 1 },
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
    note: 'a fresh 300-byte campaign.created per send; raw XADD writes the same two fields (type, v1), its JSON.stringify per send',
  };
}

const BATCH = 100;
const BATCHES_IN_FLIGHT = 10;

/** A batch of fresh payloads, as `make` wraps each (made per send, inside the timed loop). */
function freshBatch<T>(make: (data: CampaignCreated) => T): T[] {
  const batch: T[] = [];
  for (let i = 0; i < BATCH; i++) batch.push(make(campaignCreated()));
  return batch;
}

interface BatchSide {
  /** Sends one batch of fresh payloads. */
  send(): Promise<unknown>;
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
        send: () => {
          const pipeline = redis.pipeline();
          for (const fields of freshBatch(handBuiltFields))
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
        return {
          send: () => bus.publishBatch(freshBatch((data) => ({ type: CAMPAIGN_CREATED, data }))),
          close: () => bus.close(),
        };
      }),
    );
    checks.push(
      {
        label: `publishBatch(100)${f.suffix} / raw pipeline of 100 XADD`,
        value: `batch/schemabus${f.suffix}/rate`,
        over: 'batch/raw-pipeline/rate',
        target: { op: '>=', bound: 1 },
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
      return {
        send: () => queue.addBulk(freshBatch((data) => ({ name: CAMPAIGN_CREATED, data }))),
        close: () => queue.close(),
      };
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
