/** The realtime subscriber worker (see RealtimeConfig): every message received goes to the ledger. */
import { RedisEventBus } from '../../../runtime/index.js';
import type { RealtimeConfig } from './config.js';
import { reporter } from './report.js';

export async function runRealtimeSubscriber(config: RealtimeConfig): Promise<void> {
  const { emit, logger } = reporter(config.name);
  const bus = new RedisEventBus({ catalog: config.catalog, redis: config.redisUrl, logger });
  await bus.onRealtime(config.channel, {}, (event) => {
    const message = (event.data as { message?: string }).message ?? '';
    emit({ kind: 'received', eventId: event.id, seq: Number.parseInt(message, 10) });
    const until = performance.now() + config.busyMs;
    while (performance.now() < until) {
      // A slow synchronous handler.
    }
  });
  emit({ kind: 'ready' });
  await new Promise<void>((resolve) => process.once('SIGTERM', () => resolve()));
  emit({ kind: 'stopped', stats: { ...bus.stats() } });
  await bus.close({ timeoutMs: 1000 });
}
