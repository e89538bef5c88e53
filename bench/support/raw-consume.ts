/** The raw consume baselines: XREADGROUP COUNT 100 with the XACK of a batch pipelined with the next read. */
import type { Redis } from 'ioredis';
import { ratePerSecond } from './stats.js';

export type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/**
 * Reads `n` entries of `key` as consumer `raw-1` of `group`, acking each batch
 * in the same pipeline as the next read. With `parseField`, also `JSON.parse`s
 * that field of every entry (a JSON document whose `data` is the payload:
 * the `v1` document of format 1, or the whole envelope of a single-field
 * entry) and reads a payload value. Returns entries per second (the final
 * XACK is sent after the clock stops, like the last ack of a subscription).
 */
export async function rawConsume(
  redis: Redis,
  key: string,
  group: string,
  n: number,
  parseField?: number,
): Promise<number> {
  let acks: string[] = [];
  let done = 0;
  let sink = 0;
  const t0 = performance.now();
  while (done < n) {
    const pipeline = redis.pipeline();
    if (acks.length > 0) pipeline.xack(key, group, ...acks);
    pipeline.xreadgroup('GROUP', group, 'raw-1', 'COUNT', 100, 'STREAMS', key, '>');
    const results = (await pipeline.exec()) ?? [];
    const [error, reply] = results[results.length - 1] ?? [new Error('no reply'), null];
    if (error) throw error;
    const entries = (reply as StreamReply)?.[0]?.[1] ?? [];
    if (entries.length === 0) throw new Error(`stream ran dry after ${done} of ${n} entries`);
    acks = [];
    for (const [id, fields] of entries) {
      if (parseField !== undefined) {
        const { data } = JSON.parse(fields[parseField]!) as {
          data: { budget: { amount: number } };
        };
        sink += data.budget.amount;
      }
      acks.push(id);
      done++;
    }
  }
  const t1 = performance.now();
  if (acks.length > 0) await redis.xack(key, group, ...acks);
  if (sink < 0) throw new Error('unreachable');
  return ratePerSecond(done, t0, t1);
}
