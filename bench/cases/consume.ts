/**
 * Consume throughput from a pre-filled stream (300-byte payloads): one
 * subscription with a no-op handler, validation on, acks included, against
 * raw loops of XREADGROUP COUNT 100 that pipeline the XACK of a batch with
 * the next read, and BullMQ's worker at concurrency 50:
 *
 * - `handwritten-1field`: what a user writes instead of schemabus, over a
 *   stream of the same events stored as one field holding the whole
 *   envelope JSON, with JSON.parse of each entry;
 * - `raw-on-our-entries+parse`: the same loop over schemabus's own entries
 *   (format 1), parsing the `v1` document: the format and the code paths
 *   seen apart; `raw-on-our-entries` skips the parse.
 *
 * Every run rereads the same stream: its group is reset to 0 before the run.
 */
import { newQueue, newWorker, prefillQueue } from '../support/bullmq.js';
import {
  CAMPAIGN_STREAM,
  campaignCreated,
  campaignCreatedFields,
  DATA_FIELD_INDEX,
  SINGLE_FIELD_INDEX,
  singleFieldEntry,
} from '../support/payload.js';
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
/** The single-field entries of the hand-written baseline. */
const SINGLE_FIELD_KEY = '{bench:handwritten-1field}';
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

/** A raw loop over `key`, parsing `parseField` of every entry (none: no parse). */
function rawVariant(name: string, key: string, n: number, parseField?: number): Variant {
  return {
    name,
    run: async (ctx) => {
      await resetGroup(ctx.admin, key, RAW_GROUP);
      const redis = await connect(ctx.redisUrl);
      try {
        const consumed = rawConsume(redis, key, RAW_GROUP, n, parseField);
        return { rate: await deadline(consumed, name) };
      } finally {
        redis.disconnect();
      }
    },
  };
}

const HANDWRITTEN = 'consume/handwritten-1field/rate';
const RAW_OURS = 'consume/raw-on-our-entries/rate';
const RAW_OURS_PARSE = 'consume/raw-on-our-entries+parse/rate';

export function consumeCase(quick: boolean): Case {
  const n = quick ? 5000 : 200_000;
  const nBull = quick ? 1000 : 20_000;
  const variants: Variant[] = [
    rawVariant('handwritten-1field', SINGLE_FIELD_KEY, n, SINGLE_FIELD_INDEX),
    rawVariant('raw-on-our-entries+parse', STREAM_KEY, n, DATA_FIELD_INDEX),
    rawVariant('raw-on-our-entries', STREAM_KEY, n),
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
        label: `consume c10${f.suffix} / hand-written single-field loop`,
        value: sb(10),
        over: HANDWRITTEN,
        target: { op: '>=', bound: 0.9 },
      },
      {
        label: `consume c1${f.suffix} / hand-written single-field loop`,
        value: sb(1),
        over: HANDWRITTEN,
        target: { op: '>=', bound: 0.75 },
      },
      {
        label: `consume c100${f.suffix} / hand-written single-field loop`,
        value: sb(100),
        over: HANDWRITTEN,
      },
      {
        label: `consume c10${f.suffix} / raw on our entries + JSON.parse`,
        value: sb(10),
        over: RAW_OURS_PARSE,
      },
      {
        label: `consume c10${f.suffix} / BullMQ worker c50`,
        value: sb(10),
        over: 'consume/bullmq-worker-c50/rate',
        target: { op: '>=', bound: 5 },
      },
    );
  }
  variants.push({ name: 'bullmq-worker-c50', run: (ctx) => bullmqWorker(ctx, nBull) });
  checks.push(
    {
      label: 'raw on our entries + JSON.parse / hand-written single-field loop',
      value: RAW_OURS_PARSE,
      over: HANDWRITTEN,
    },
    { label: 'raw on our entries: + JSON.parse / without', value: RAW_OURS_PARSE, over: RAW_OURS },
  );
  return {
    name: 'consume',
    title: `consume ${n} pre-filled entries`,
    metrics: [RATE],
    setup: async (ctx) => {
      await prefillStream(ctx.admin, STREAM_KEY, n, () => campaignCreatedFields());
      await prefillStream(ctx.admin, SINGLE_FIELD_KEY, n, () => singleFieldEntry());
      ctx.log(
        `  consume: pre-filled ${n} entries in ${CAMPAIGN_STREAM} and ${n} single-field ones`,
      );
    },
    variants,
    checks,
    note:
      'schemabus with the default read sizing; handwritten-1field = XREADGROUP COUNT 100 + pipelined XACK + JSON.parse ' +
      'over entries of one field holding the whole envelope JSON (what a user writes instead); ' +
      'raw-on-our-entries(+parse) = the same loop over schemabus format-1 entries',
  };
}
