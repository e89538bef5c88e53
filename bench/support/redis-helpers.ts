/** ioredis helpers for the raw baselines and for untimed setup (pre-filling, group resets). */
import { Redis, type RedisOptions } from 'ioredis';

/** A connected client; `autoPipelining` batches the commands of one tick into one write. */
export async function connect(url: string, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, ...options });
  await redis.connect();
  return redis;
}

/**
 * Runs `send(i)` for i = 0..total-1 keeping `inFlight` promises outstanding:
 * a new one starts as soon as one settles. Rejects on the first failure.
 */
export function runInFlight(
  total: number,
  inFlight: number,
  send: (i: number) => Promise<unknown>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let started = 0;
    let settled = 0;
    const onSettled = () => {
      settled++;
      if (started < total) send(started++).then(onSettled, reject);
      else if (settled === total) resolve();
    };
    if (total === 0) resolve();
    const first = Math.min(inFlight, total);
    while (started < first) send(started++).then(onSettled, reject);
  });
}

/** Appends `count` entries made by `fields(i)`, `chunk` per pipeline, a few pipelines in flight. */
export async function prefillStream(
  redis: Redis,
  key: string,
  count: number,
  fields: (i: number) => readonly string[],
  chunk = 1000,
): Promise<void> {
  const chunks = Math.ceil(count / chunk);
  await runInFlight(chunks, 4, async (c) => {
    const pipeline = redis.pipeline();
    const end = Math.min(count, (c + 1) * chunk);
    for (let i = c * chunk; i < end; i++) pipeline.xadd(key, '*', ...fields(i));
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error);
    if (failed) throw failed[0];
  });
}

/** Makes `group` (re)read `key` from the start: created when missing, else its last id set to 0. */
export async function resetGroup(redis: Redis, key: string, group: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
  } catch (error) {
    if (!String(error).includes('BUSYGROUP')) throw error;
    await redis.xgroup('SETID', key, group, '0');
  }
}

/** Entries delivered to `group` and not acked. */
export async function pendingCount(redis: Redis, key: string, group: string): Promise<number> {
  const summary = (await redis.xpending(key, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}

/** `used_memory` of the server in bytes. */
export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}
