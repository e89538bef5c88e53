/** The consumer worker (see ConsumerConfig): every handler start, end and abandon goes to the ledger. */
import type { Envelope, Handler, HandlerContext } from '../../../runtime/index.js';
import { RedisEventBus } from '../../../runtime/index.js';
import { seededRandom } from '../support/seed.js';
import type { ConsumerConfig } from './config.js';
import { handlersOf } from './handlers.js';
import { reporter, sleep } from './report.js';

export async function runConsumer(config: ConsumerConfig): Promise<void> {
  const { emit, logger } = reporter(config.name);
  const bus = new RedisEventBus({
    catalog: config.catalog,
    redis: config.redisUrl,
    logger,
    idleConsumerTimeoutMs: config.idleConsumerTimeoutMs,
  });
  const random = seededRandom(config.seed);
  let terminated: () => void = () => {};
  const termination = new Promise<void>((resolve) => {
    terminated = resolve;
  });

  const work = async (signal: AbortSignal) => {
    if (config.work.kind === 'sleep') {
      await sleep(random.int(config.work.minMs, config.work.maxMs), signal);
      return;
    }
    const afterTerm = random.int(0, config.work.afterTermMaxMs);
    await Promise.race([
      termination,
      new Promise((_, reject) => signal.addEventListener('abort', reject, { once: true })),
    ]);
    await sleep(afterTerm, signal);
  };
  const handler: Handler = async (event: Envelope, ctx: HandlerContext) => {
    const record = {
      group: ctx.group,
      consumer: ctx.consumer,
      eventId: event.id,
      entryId: ctx.entryId,
      attempt: ctx.attempt,
    };
    emit({ kind: 'started', ...record });
    try {
      await work(ctx.signal);
    } catch (error) {
      emit({ kind: 'abandoned', ...record });
      throw error;
    }
    emit({ kind: 'handled', ...record });
  };
  bus.subscribe(config.group, handlersOf(config.catalog, config.group, handler), {
    consumer: config.consumer,
    concurrency: config.concurrency,
    batchSize: config.batchSize,
    blockMs: config.blockMs,
  });
  emit({ kind: 'ready', consumer: config.consumer });
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  terminated();
  await bus.close({ timeoutMs: config.closeTimeoutMs });
  emit({ kind: 'stopped', consumer: config.consumer, stats: { ...bus.stats() } });
}
