/**
 * The sides of the latency cases (bench/cases/latency.ts): each sends at a
 * fixed rate and records publish -> handler latency from the send time the
 * payload carries. Raw Streams (XADD -> XREADGROUP BLOCK), schemabus, BullMQ,
 * raw pub/sub and schemabus realtime.
 */
import type { Redis } from 'ioredis';
import { newQueue, newWorker } from './bullmq.js';
import { LatencyRecorder, sendPaced } from './pacer.js';
import {
  DATA_FIELD_INDEX,
  handBuiltFields,
  sentAtOf,
  timedCampaignCreated,
  timedSystemAlert,
} from './payload.js';
import { connect } from './redis-helpers.js';
import {
  createPublisher,
  type Flavor,
  lifecycleHandlers,
  onSystemAlerts,
  subscribeLifecycleService,
} from './schemabus.js';
import type { BenchContext, Metric } from './types.js';

const STREAM_KEY = '{campaigns:campaign-events}';
const RAW_GROUP = 'raw-latency';
const ALERT_CHANNEL = 'campaigns:system:alerts';
/** Warm-up before measuring: at least this long and this many events (JIT, connections). */
const WARMUP_MS = 300;
const WARMUP_EVENTS = 1000;
const DRAIN_TIMEOUT_MS = 15_000;

/** One side of a latency case: sends `count` events at `rate` per second, returns p50/p95/p99. */
export type Runner = (
  ctx: BenchContext,
  rate: number,
  count: number,
) => Promise<Record<string, number>>;

export const METRICS: readonly Metric[] = ['p50', 'p95', 'p99'].map((name) => ({
  name,
  unit: 'ms',
  better: 'lower' as const,
}));

interface Side {
  /** Sends one event stamped with `sentAt`; must not block. */
  send(sentAt: number): void;
  close(): Promise<void>;
}

/** Runs a warm-up, then `count` paced sends; returns the latency percentiles of the measured sends. */
async function measure(
  rate: number,
  count: number,
  open: (rec: LatencyRecorder, from: () => number) => Promise<Side>,
) {
  const recorder = new LatencyRecorder(count);
  let measureFrom = Number.POSITIVE_INFINITY;
  const side = await open(recorder, () => measureFrom);
  try {
    const warmup = Math.max(WARMUP_EVENTS, Math.ceil((rate * WARMUP_MS) / 1000));
    await sendPaced(rate, warmup, () => side.send(performance.now()));
    measureFrom = performance.now();
    const paced = await sendPaced(rate, count, () => side.send(performance.now()));
    await recorder.waitFor(count, DRAIN_TIMEOUT_MS);
    return { ...recorder.summary(), schedulerLateMs: paced.maxLateMs };
  } finally {
    await side.close();
  }
}

const failOnError = (error: unknown) => {
  // A failed send shows up as missing samples; log it once per run.
  console.error(`  send failed: ${error instanceof Error ? error.message : String(error)}`);
};

/** Raw: XADD on one connection, XREADGROUP BLOCK on another, XACK pipelined with the next read. */
export function rawStreams(
  ctx: BenchContext,
  rate: number,
  count: number,
): Promise<Record<string, number>> {
  return measure(rate, count, async (recorder, from) => {
    const producer = await connect(ctx.redisUrl);
    const reader = await connect(ctx.redisUrl);
    await producer.xgroup('CREATE', STREAM_KEY, RAW_GROUP, '$', 'MKSTREAM');
    let running = true;
    const loop = readLoop(reader, recorder, from, () => running);
    return {
      send: (sentAt) =>
        // The same two fields schemabus stores (type, and the v1 document), built by hand.
        void producer
          .xadd(STREAM_KEY, '*', ...handBuiltFields(timedCampaignCreated(sentAt)))
          .catch(failOnError),
      close: async () => {
        running = false;
        await loop;
        producer.disconnect();
        reader.disconnect();
      },
    };
  });
}

type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

async function readLoop(
  reader: Redis,
  recorder: LatencyRecorder,
  from: () => number,
  running: () => boolean,
) {
  let acks: string[] = [];
  while (running()) {
    const pipeline = reader.pipeline();
    if (acks.length > 0) pipeline.xack(STREAM_KEY, RAW_GROUP, ...acks);
    pipeline.xreadgroup(
      'GROUP',
      RAW_GROUP,
      'raw-1',
      'COUNT',
      100,
      'BLOCK',
      200,
      'STREAMS',
      STREAM_KEY,
      '>',
    );
    const results = (await pipeline.exec()) ?? [];
    const reply = results[results.length - 1]?.[1] as StreamReply;
    acks = [];
    for (const [id, fields] of reply?.[0]?.[1] ?? []) {
      const { data } = JSON.parse(fields[DATA_FIELD_INDEX]!) as { data: { name: string } };
      const sentAt = sentAtOf(data.name);
      if (sentAt >= from()) recorder.recordSince(sentAt);
      acks.push(id);
    }
  }
}

export const schemabusStreams =
  (flavor: Flavor): Runner =>
  (ctx, rate, count) =>
    measure(rate, count, async (recorder, from) => {
      const bus = flavor.redisBus(ctx.redisUrl);
      await bus.bootstrap();
      const publisher = createPublisher(bus);
      const sub = subscribeLifecycleService(
        bus,
        {
          ...lifecycleHandlers(async () => {}),
          campaignCreated: async (event) => {
            const sentAt = sentAtOf(event.data.name);
            if (sentAt >= from()) recorder.recordSince(sentAt);
          },
        },
        { concurrency: 10 },
      );
      return {
        send: (sentAt) =>
          void publisher.campaignCreated(timedCampaignCreated(sentAt)).catch(failOnError),
        close: async () => {
          await sub.close({ timeoutMs: 5000 });
          await bus.close();
        },
      };
    });

export function bullmqStreams(ctx: BenchContext, rate: number, count: number) {
  return measure(rate, count, async (recorder, from) => {
    const queue = newQueue(ctx, 'bench-latency');
    await queue.waitUntilReady();
    const worker = newWorker(ctx, queue, 50, async (data) => {
      const sentAt = sentAtOf(data.name);
      if (sentAt >= from()) recorder.recordSince(sentAt);
    });
    await worker.waitUntilReady();
    return {
      send: (sentAt) =>
        void queue.add('campaign.created', timedCampaignCreated(sentAt)).catch(failOnError),
      close: async () => {
        await worker.close();
        await queue.close();
      },
    };
  });
}

export function rawRealtime(ctx: BenchContext, rate: number, count: number) {
  return measure(rate, count, async (recorder, from) => {
    const producer = await connect(ctx.redisUrl);
    const subscriber = await connect(ctx.redisUrl);
    subscriber.on('message', (_channel: string, message: string) => {
      const envelope = JSON.parse(message) as { data: { message: string } };
      const sentAt = sentAtOf(envelope.data.message);
      if (sentAt >= from()) recorder.recordSince(sentAt);
    });
    await subscriber.subscribe(ALERT_CHANNEL);
    return {
      send: (sentAt) => {
        const envelope = {
          specversion: '1.0',
          id: String(sentAt),
          source: 'campaign-service',
          type: 'system.alert',
          time: new Date().toISOString(),
          datacontenttype: 'application/json',
          data: timedSystemAlert(sentAt),
        };
        void producer.publish(ALERT_CHANNEL, JSON.stringify(envelope)).catch(failOnError);
      },
      close: async () => {
        producer.disconnect();
        subscriber.disconnect();
      },
    };
  });
}

export const schemabusRealtime =
  (flavor: Flavor): Runner =>
  (ctx, rate, count) =>
    measure(rate, count, async (recorder, from) => {
      const bus = flavor.redisBus(ctx.redisUrl);
      const publisher = createPublisher(bus);
      const unsubscribe = await onSystemAlerts(bus, {}, (event) => {
        const sentAt = sentAtOf(event.data.message);
        if (sentAt >= from()) recorder.recordSince(sentAt);
      });
      return {
        send: (sentAt) => void publisher.systemAlert(timedSystemAlert(sentAt)).catch(failOnError),
        close: async () => {
          await unsubscribe();
          await bus.close();
        },
      };
    });
