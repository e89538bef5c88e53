/** BullMQ, the peer most readers know: queues and workers on the bench's server. */
import { Queue, Worker } from 'bullmq';
import type { BenchContext } from './types.js';

/** Jobs are removed once completed, the setting most deployments use. */
const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: 1000 } as const;

let queueSeq = 0;

/** A fresh queue (unique name) with the bench's job options. */
export function newQueue(ctx: BenchContext, prefix: string): Queue {
  return new Queue(`${prefix}-${++queueSeq}`, {
    connection: { host: '127.0.0.1', port: ctx.port, maxRetriesPerRequest: null },
    defaultJobOptions: JOB_OPTIONS,
  });
}

/** A worker on `queue` running `processor` with `concurrency` jobs in flight. */
export function newWorker(
  ctx: BenchContext,
  queue: Queue,
  concurrency: number,
  processor: (data: { name: string }) => Promise<void>,
): Worker {
  return new Worker(queue.name, (job) => processor(job.data as { name: string }), {
    connection: { host: '127.0.0.1', port: ctx.port, maxRetriesPerRequest: null },
    concurrency,
  });
}

/** Adds `count` jobs of `data(i)` in bulks of 1000 (untimed pre-filling). */
export async function prefillQueue(
  queue: Queue,
  count: number,
  data: (i: number) => object,
): Promise<void> {
  for (let start = 0; start < count; start += 1000) {
    const end = Math.min(count, start + 1000);
    const jobs: { name: string; data: object }[] = [];
    for (let i = start; i < end; i++) jobs.push({ name: 'campaign.created', data: data(i) });
    await queue.addBulk(jobs);
  }
}
