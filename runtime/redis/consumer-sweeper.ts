/**
 * Removes the consumers a group accumulates from crashed processes and from
 * closes that could not reach Redis: names with nothing pending, idle past
 * `idleConsumerTimeoutMs` (sweep-consumers.lua; never one holding entries).
 * Each consumer sweeps its own group now and then; a sweep is one script
 * call, and several consumers sweeping the same group is harmless.
 */
import type { CatalogGroup } from '../catalog.js';
import type { BusContext } from './bus-context.js';
import { readError } from './redis-errors.js';

/** Default of the bus option `idleConsumerTimeoutMs`: one hour. */
export const DEFAULT_IDLE_CONSUMER_TIMEOUT_MS = 3_600_000;

/** Sweeps one group of one stream from one consumer, on a timer. */
export class ConsumerSweeper {
  private timer: NodeJS.Timeout | undefined;
  private readonly everyMs: number;

  constructor(
    private readonly ctx: BusContext,
    private readonly group: CatalogGroup,
    private readonly key: string,
    private readonly consumer: string,
    private readonly idleMs: number,
  ) {
    // Often enough that a removable name does not stay long past the bound.
    this.everyMs = Math.max(50, Math.min(60_000, Math.floor(idleMs / 2)));
  }

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.everyMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sweep; never throws (a failure is logged, the next sweep tries again). */
  async sweep(): Promise<void> {
    try {
      const removed = await this.ctx.connections.command.schemabusSweepConsumers(
        this.key,
        this.group.name,
        this.idleMs,
        this.consumer,
      );
      if (removed.length > 0) {
        this.ctx.logger.info(
          { group: this.group.name, stream: this.group.stream, removed },
          `removed ${removed.length} consumers with nothing pending, idle longer than ${this.idleMs} ms (crashed or closed without reaching Redis)`,
        );
      }
    } catch (error) {
      this.ctx.logger.debug(
        {
          group: this.group.name,
          stream: this.group.stream,
          error: readError(error, 'sweeping idle consumers', this.ctx.connections.label).message,
        },
        'sweeping idle consumers failed; the next sweep tries again',
      );
    }
  }
}
