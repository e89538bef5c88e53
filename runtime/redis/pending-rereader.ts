/**
 * The re-read of a consumer's own pending list, at start and after every
 * reconnect (sharp edge "Reconnect re-sends unanswered commands"): an
 * `XREADGROUP >` the server served but whose reply was lost, or a claim
 * scan re-sent after its first run claimed entries, leaves entries pending
 * for this consumer and unseen; a previous process with the same consumer
 * name left entries too.
 *
 * It lists the own entries with `XPENDING key group - + N consumer` (which
 * counts nothing), skips those the consumer has in hand — held, ack queued
 * or on its way, failed here and left to the claim scan — and brings back
 * the rest with the `schemabusReclaimOwn` script (scripts/reclaim-own.lua):
 * - after a reconnect (`same`): `XRANGE` + `XCLAIM ... JUSTID`, delivery
 *   count unchanged — Redis counted the delivery when it served the lost
 *   reply, and no handler of this process saw the entry;
 * - at start (`next`): `XCLAIM` without JUSTID, one delivery more — the
 *   previous process's handler may have run, or crashed it.
 * So the count stays the number of deliveries to handlers, across consumers
 * and restarts, and a reconnect never burns an attempt of an entry being
 * handled. (The former `XREADGROUP ... 0` re-read added one to every owned
 * entry, including those running, so flapping connections sent entries to
 * the DLQ early.) Runs on the command connection, so it need not wait for a
 * blocking read ioredis re-sent on the reader connection. Requests while
 * one runs are merged into one more run.
 */
import type { Logger } from '../bus.js';
import type { BusContext } from './bus-context.js';
import { delay } from './delay.js';
import { readError } from './redis-errors.js';
import type { ReaderSettings } from './stream-reader.js';

/** `same`: bring back with the delivery count unchanged; `next`: as a redelivery (count + 1). */
export type RereadMode = 'same' | 'next';

/** What the re-read needs from its consumer. */
export interface RereadHost {
  readonly settings: Pick<ReaderSettings, 'key' | 'group' | 'consumer'>;
  /** The stream's failure-record hash (scripts/fail.lua). */
  readonly failuresKey: string;
  readonly batchSize: number;
  /** Aborted when the consumer stops. */
  readonly signal: AbortSignal;
  /** Acks and failure records still on their way: sent before the re-read, so it cannot hand those out again. */
  settle(): Promise<void>;
  /** Resolves once fewer than `limit` fetched entries wait (or the consumer stops); returns how many wait. */
  room(limit: number): Promise<number>;
  /** Whether the consumer has `id` in hand (held, ack queued or on its way, failed here): left alone. */
  busy(id: string): boolean;
  /** An entry re-read from the own pending list, this consumer's since `since` at the earliest. */
  accept(id: string, fields: string[], deliveries: number, since: number): void;
  /** An entry deleted while pending (the script acked it): count the loss. */
  lost(id: string): void;
}

/** Own pending entries listed per XPENDING page. */
const PAGE = 100;

type PendingRow = [id: string, consumer: string, idleMs: number, deliveries: number];

/** Re-reads one consumer's own pending list, one run at a time. */
export class PendingRereader {
  private running: Promise<void> | undefined;
  private again = false;
  private nextMode: RereadMode = 'same';

  constructor(
    private readonly ctx: BusContext,
    private readonly host: RereadHost,
  ) {}

  /** Runs a re-read now, or once more after the one running (`next` wins when requests merge). */
  request(mode: RereadMode = 'same'): Promise<void> {
    if (mode === 'next') this.nextMode = 'next';
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

  private get stopped(): boolean {
    return this.host.signal.aborted;
  }

  private async runUntilDone(): Promise<void> {
    do {
      this.again = false;
      const mode = this.nextMode;
      this.nextMode = 'same';
      try {
        await this.reread(mode);
      } catch (error) {
        if (this.stopped) return;
        if (mode === 'next') this.nextMode = 'next';
        logFailure(
          this.ctx.logger,
          this.host,
          readError(error, 're-reading the own pending list', this.ctx.connections.label).message,
        );
        await delay(500, this.host.signal);
        this.again = true;
      }
    } while (this.again && !this.stopped);
  }

  private async reread(mode: RereadMode): Promise<void> {
    const { command } = this.ctx.connections;
    const { key, group, consumer } = this.host.settings;
    await this.host.settle();
    let start = '-';
    while (!this.stopped) {
      const waiting = await this.host.room(this.host.batchSize);
      if (this.stopped) return;
      const room = this.host.batchSize - waiting;
      const rows = (await command.xpending(key, group, start, '+', PAGE, consumer)) as PendingRow[];
      const ids: string[] = [];
      let examined = 0;
      for (const [id] of rows) {
        if (ids.length >= room) break;
        examined++;
        start = `(${id}`;
        if (!this.host.busy(id)) ids.push(id);
      }
      if (ids.length > 0) {
        const sentAt = Date.now();
        const [claimed, lost] = await command.schemabusReclaimOwn(
          key,
          this.host.failuresKey,
          group,
          consumer,
          mode,
          ...ids,
        );
        for (const id of lost) this.host.lost(id);
        for (const [id, fields, deliveries] of claimed) {
          this.host.accept(id, fields, Number(deliveries), sentAt);
        }
      }
      if (examined === rows.length && rows.length < PAGE) return;
    }
  }
}

function logFailure(logger: Logger, host: RereadHost, error: string): void {
  logger.warn(
    {
      key: host.settings.key,
      group: host.settings.group,
      consumer: host.settings.consumer,
      error,
    },
    're-reading the own pending list failed; retrying',
  );
}
