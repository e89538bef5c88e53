/** The publisher worker (see PublisherConfig): every try and its outcome go to the ledger. */
import {
  ConnectionError,
  PublishOutcomeUnknownError,
  RedisEventBus,
} from '../../../runtime/index.js';
import { seededRandom } from '../support/seed.js';
import type { PublisherConfig } from './config.js';
import { reporter, sleep } from './report.js';

export async function runPublisher(config: PublisherConfig): Promise<void> {
  const { emit, logger } = reporter(config.name);
  const bus = new RedisEventBus({
    catalog: config.catalog,
    redis:
      config.commandTimeoutMs === undefined
        ? config.redisUrl
        : { url: config.redisUrl, commandTimeout: config.commandTimeoutMs },
    logger,
    idempotentPublish: config.idempotent ?? false,
    connectTimeoutMs: config.connectTimeoutMs,
    retention: config.retention,
  });
  const random = seededRandom(config.seed);
  const padding = 'x'.repeat(config.padding ?? 0);
  const data = (seq: number) =>
    config.type === 'job.requested'
      ? { jobId: `job-${seq}${padding}`, key: `k${seq % 8}`, seq }
      : { level: 'info', message: `${seq}:${padding}` };

  const publishOne = async (seq: number) => {
    const eventId = `${config.name}-${seq}`;
    for (let attempt = 1; ; attempt++) {
      emit({ kind: 'attempted', eventId, seq, attempt });
      try {
        const published = await bus.publish(config.type, data(seq), { id: eventId });
        emit({ kind: 'acked', eventId, seq, attempt, entryId: published.entryId ?? '' });
        return;
      } catch (error) {
        const outcome =
          error instanceof PublishOutcomeUnknownError
            ? 'unknown'
            : error instanceof ConnectionError
              ? 'not-written'
              : 'other';
        const e = error as Error & { code?: string };
        emit({
          kind: 'failed',
          eventId,
          seq,
          attempt,
          outcome,
          error: e.name,
          code: typeof e.code === 'string' ? e.code : undefined,
          message: e.message,
        });
        if (outcome !== 'unknown' || attempt > (config.retryUnknown ?? 0)) return;
      }
    }
  };

  let stopping = false;
  process.once('SIGTERM', () => {
    stopping = true;
  });
  const startedAt = Date.now();
  let next = 0;
  const loop = async () => {
    while (!stopping && next < config.count) {
      const seq = next++;
      if (config.ratePerSecond > 0) {
        // Paced: publish seq is due at start + seq / rate, with a little seeded jitter.
        const due = startedAt + (seq * 1000) / config.ratePerSecond + random.int(0, 3);
        if (due > Date.now()) await sleep(due - Date.now());
      }
      await publishOne(seq);
    }
  };
  emit({ kind: 'ready' });
  await Promise.all(Array.from({ length: config.inflight }, loop));
  // Closed first: a trim still running counts (and logs) before the counters are reported.
  await bus.close({ timeoutMs: 1000 });
  emit({
    kind: 'stopped',
    stats: { ...bus.stats(), retentionForced: bus.retentionForced },
  });
}
