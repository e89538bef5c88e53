/**
 * Noticing that Redis came back without data the bus had seen.
 *
 * The bus remembers, per stream key, the newest entry id it stored or read.
 * After every reconnect of the command connection it asks Redis whether
 * that entry is still there: stored (`XRANGE id id`), or recorded as
 * deleted (at or below the stream's `max-deleted-entry-id`, which XDEL and
 * trimming raise). Neither means the stream lost entries behind the bus's
 * back: a server restarted without persistence, a failover to a replica
 * that lagged, a flush. Publishes made after the reconnect cannot hide it,
 * since a re-created stream has recorded no deletion. A consumer group that
 * vanished is reported by its consumer (NOGROUP).
 *
 * On a Redis Cluster the check runs after every slot table change that
 * gave a slot another master (a failover, a migration), and also asks about
 * the newest ids seen when a node connection first failed: publishes may
 * succeed on the new master before the bus hears of the change, and their
 * ids would hide a loss.
 *
 * Each detection is logged as an error, counted (`stats().dataLoss`), kept
 * for `inspect().losses` and emitted as a `DataLossError` on `bus.onError`.
 */

import type { Logger, LossReport } from '../bus.js';
import type { Catalog } from '../catalog.js';
import { DataLossError, type LostStream, type SchemabusError } from '../errors.js';
import type { Listeners } from '../internal/listeners.js';
import { partitionByKey } from '../internal/partitions.js';
import type { StatsCounter } from '../internal/stats.js';
import type { Connections } from './connections.js';
import { sendRouted } from './routed-command.js';

/** What the watch needs of its bus. */
export interface LossWatchDeps {
  readonly catalog: Catalog;
  readonly connections: Connections;
  readonly stats: StatsCounter;
  readonly logger: Logger;
}

/** How many detections `inspect()` keeps. */
const KEPT = 20;

/** A check Redis could not answer is tried this many times in all, this far apart. */
const CHECK_ATTEMPTS = 5;
const RECHECK_MS = 1000;

/** `ms-seq` of an entry id as two numbers, for comparing ids. */
function parts(id: string): [number, number] {
  const dash = id.indexOf('-');
  return dash < 0 ? [Number(id), 0] : [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}

/** Whether entry id `a` is at or below `b`. */
function atOrBelow(a: string, b: string): boolean {
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  return am < bm || (am === bm && as <= bs);
}

/** The newest ids the bus saw, and the check after each reconnect. */
export class LossWatch {
  private readonly newest = new Map<string, string>();
  /** The newest ids as they were when a Cluster node connection first failed since the last check. */
  private beforeTrouble: Map<string, string> | undefined;
  private readonly reports: LossReport[] = [];
  private connectedBefore = false;

  constructor(
    private readonly ctx: LossWatchDeps,
    private readonly errors: Listeners<SchemabusError>,
  ) {
    ctx.connections.onCommandReady(() => {
      if (this.connectedBefore) void this.check();
      this.connectedBefore = true;
    });
    ctx.connections.onTrouble(() => {
      this.beforeTrouble ??= new Map(this.newest);
    });
  }

  /** The bus stored or read entry `id` on stream `key` (the newest so far on it). */
  seen(key: string, id: string): void {
    this.newest.set(key, id);
  }

  /** What was found lost so far, newest last. */
  get losses(): readonly LossReport[] {
    return this.reports;
  }

  /** A consumer found its group gone (NOGROUP) and re-creates it. */
  groupVanished(stream: string, group: string): void {
    this.report(
      [],
      [{ stream, group }],
      `consumer group "${group}" of stream "${stream}" vanished from Redis (deleted, or the server lost its data); it is created again from the catalogue's startFrom: entries added meanwhile may be missed. Run \`schemabus bootstrap\` after restoring data`,
    );
  }

  /**
   * Asks Redis whether the newest entry seen on each stream is still
   * accounted for; when Redis could not say (the connection went again, a
   * failover not finished), asks again a second later, a few times.
   */
  async check(attempt = 1): Promise<void> {
    const { command } = this.ctx.connections;
    const before = this.beforeTrouble;
    this.beforeTrouble = undefined;
    // Per stream, the ids to ask about: the newest seen, and the newest seen before trouble began.
    const asked: [key: string, id: string][] = [];
    for (const [key, id] of this.newest) {
      asked.push([key, id]);
      const earlier = before?.get(key);
      if (earlier !== undefined && earlier !== id) asked.push([key, earlier]);
    }
    if (asked.length === 0) return;
    const lost: LostStream[] = [];
    let unsure = false;
    try {
      // Two commands per id, all issued at once (on a Cluster each goes to its stream's master).
      const replies = await Promise.all(
        asked.map(([key, id]) =>
          Promise.all([
            settle(command.xrange(key, id, id)),
            settle(sendRouted(command, key, 'xinfo', ['STREAM', key])),
          ]),
        ),
      );
      asked.forEach(([key, id], i) => {
        if (lost.some((l) => l.key === key)) return;
        const [[rangeError, range], [infoError, info]] = replies[i]!;
        if (rangeError === null && Array.isArray(range) && range.length > 0) return;
        const gone = infoError instanceof Error && /no such key/i.test(infoError.message);
        if (!gone && (rangeError || infoError)) {
          unsure = true; // cannot tell: say nothing now
          return;
        }
        const deletedUpTo = gone ? '0-0' : maxDeletedId(info);
        if (deletedUpTo === undefined) return; // before Redis 7.0: deletions are not recorded
        if (!gone && atOrBelow(id, deletedUpTo)) return; // trimmed or deleted, as recorded
        lost.push({ stream: this.streamName(key), key, lastSeenId: id, gone });
      });
    } catch {
      unsure = true;
    }
    if (unsure && lost.length === 0) {
      if (before !== undefined) this.beforeTrouble ??= before;
      if (attempt < CHECK_ATTEMPTS) {
        setTimeout(() => void this.check(attempt + 1), RECHECK_MS).unref();
      }
      return;
    }
    if (lost.length === 0) return;
    const names = lost.map((l) => `"${l.stream}"${l.gone ? ' (gone)' : ''}`).join(', ');
    this.report(
      lost,
      [],
      `Redis at ${this.ctx.connections.label} came back without entries this bus had seen on stream ${names}: ` +
        'the server restarted without persistence (appendonly), failed over to a replica that lagged, or the data was flushed. ' +
        'Events published before the outage may be lost for every group; republish them from your source of truth if you can',
    );
  }

  private report(
    streams: readonly LostStream[],
    groups: readonly { stream: string; group: string }[],
    message: string,
  ): void {
    const { stats, logger } = this.ctx;
    stats.dataLoss++;
    this.reports.push({
      at: new Date().toISOString(),
      message,
      streams: streams.map(({ stream, lastSeenId, gone }) => ({ stream, lastSeenId, gone })),
      groups,
    });
    if (this.reports.length > KEPT) this.reports.shift();
    logger.error({ streams, groups }, message);
    this.errors.emit(new DataLossError(message, streams, groups));
  }

  private streamName(key: string): string {
    for (const stream of Object.values(this.ctx.catalog.streams)) {
      if (stream.key === key || partitionByKey(stream, key) !== undefined) return stream.name;
    }
    return key;
  }
}

/** `[error, null]` or `[null, value]`, as a pipeline reply. */
function settle(promise: Promise<unknown>): Promise<[Error | null, unknown]> {
  return promise.then(
    (value) => [null, value],
    (error: unknown) => [error instanceof Error ? error : new Error(String(error)), null],
  );
}

/** `max-deleted-entry-id` of an XINFO STREAM reply; undefined before Redis 7.0, which has none. */
function maxDeletedId(info: unknown): string | undefined {
  if (!Array.isArray(info)) return undefined;
  const at = info.indexOf('max-deleted-entry-id');
  return at >= 0 && typeof info[at + 1] === 'string' ? (info[at + 1] as string) : undefined;
}
