/**
 * The churn worker (see CyclerConfig): consumers started and stopped one
 * after another in one process, a crash (SIGKILL of the process, handler
 * running) or abandoned closes mixed in.
 */
import type { Envelope, Handler, HandlerContext } from '../../../runtime/index.js';
import { RedisEventBus } from '../../../runtime/index.js';
import type { CyclerConfig } from './config.js';
import { handlersOf } from './handlers.js';
import { reporter, sleep } from './report.js';

export async function runConsumerCycles(config: CyclerConfig): Promise<void> {
  const { emit, logger } = reporter(config.name);
  for (let cycle = 0; cycle < config.cycles; cycle++) {
    const consumer = `${config.prefix}-${cycle}`;
    const crash = cycle === config.crashInCycle;
    const abandon = config.abandonIn.includes(cycle);
    const bus = new RedisEventBus({ catalog: config.catalog, redis: config.redisUrl, logger });
    let handled = 0;
    let enough: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      enough = resolve;
    });
    const handler: Handler = async (event: Envelope, ctx: HandlerContext) => {
      const record = {
        group: ctx.group,
        consumer: ctx.consumer,
        eventId: event.id,
        entryId: ctx.entryId,
        attempt: ctx.attempt,
      };
      emit({ kind: 'started', ...record });
      if (crash && handled >= config.perCycle / 2) process.kill(process.pid, 'SIGKILL');
      // An abandoned close: the last handler of the cycle outlives close's timeout.
      const ms = abandon && handled === config.perCycle - 1 ? 60_000 : config.workMs;
      try {
        await sleep(ms, ctx.signal);
      } catch (error) {
        emit({ kind: 'abandoned', ...record });
        throw error;
      }
      emit({ kind: 'handled', ...record });
      if (++handled >= config.perCycle) enough();
    };
    bus.subscribe(config.group, handlersOf(config.catalog, config.group, handler), { consumer });
    await Promise.race([done, sleep(config.cycleDeadlineMs)]);
    await bus.close({ timeoutMs: config.closeTimeoutMs });
    emit({ kind: 'cycle', consumer, detail: handled });
  }
  emit({ kind: 'stopped' });
}
