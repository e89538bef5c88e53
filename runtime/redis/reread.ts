/**
 * The re-read of a consumer's own pending list, at start and after every
 * reconnect (sharp edge "Reconnect re-sends unanswered commands"): an
 * `XREADGROUP >` the server served but whose reply was lost leaves entries
 * pending for this consumer and unseen; a previous process with the same
 * consumer name left entries too. The history read (`XREADGROUP ... 0`) runs
 * on the command connection, so it need not wait for a blocking read ioredis
 * re-sent on the reader connection. Requests while one runs are merged into
 * one more run.
 */
import type { Logger } from '../bus.js';
import { readError } from './connection.js';
import type { BusContext } from './context.js';
import { type ReaderSettings, readOwnPending } from './reader.js';

/** What the re-read needs from its consumer. */
export interface RereadHost {
  readonly settings: Pick<ReaderSettings, 'key' | 'group' | 'consumer'>;
  readonly batchSize: number;
  stopped(): boolean;
  /** Acks and failure records still on their way: sent before the re-read, so it cannot hand those out again. */
  settle(): Promise<void>;
  /** Resolves once fewer than `limit` fetched entries wait (or the consumer stops); returns how many wait. */
  room(limit: number): Promise<number>;
  accept(id: string, fields: string[], deliveries: number): void;
  lost(id: string): void;
}

/** Re-reads one consumer's own pending list, one run at a time. */
export class PendingRereader {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly ctx: BusContext,
    private readonly host: RereadHost,
  ) {}

  /** Runs a re-read now, or once more after the one running. */
  request(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runUntilDone().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves once no re-read runs. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async runUntilDone(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.reread();
      } catch (error) {
        if (this.host.stopped()) return;
        logFailure(
          this.ctx.logger,
          this.host,
          readError(error, 'XREADGROUP 0', this.ctx.connections.label).message,
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        this.again = true;
      }
    } while (this.again && !this.host.stopped());
  }

  private async reread(): Promise<void> {
    await this.host.settle();
    let after = '0';
    while (!this.host.stopped()) {
      const waiting = await this.host.room(this.host.batchSize);
      if (this.host.stopped()) return;
      const count = this.host.batchSize - waiting;
      const page = await readOwnPending(
        this.ctx.connections.command,
        this.host.settings,
        after,
        count,
      );
      if (page.entries.length === 0) return;
      for (const [id, fields] of page.entries) {
        after = id;
        const deliveries = page.deliveries.get(id);
        if (fields === null) this.host.lost(id);
        else if (deliveries !== undefined) this.host.accept(id, fields, deliveries);
      }
    }
  }
}

function logFailure(logger: Logger, host: RereadHost, error: string): void {
  logger.warn(
    {
      stream: host.settings.key,
      group: host.settings.group,
      consumer: host.settings.consumer,
      error,
    },
    're-reading the own pending list failed; retrying',
  );
}
