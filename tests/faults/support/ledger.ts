/**
 * The ledger of a scenario, kept in the test process: every record its
 * worker processes printed, in arrival order, with the running counts the
 * scenario waits on (how many publishes were acknowledged, how many events
 * a group handled).
 */
import { isLedgerRecord, type LedgerRecord, type PublishAcked } from './ledger-records.js';

/** Which acknowledged publishes a count or wait is about. */
export type AckFilter = (acked: PublishAcked) => boolean;

const every: AckFilter = () => true;

export class Ledger {
  readonly records: LedgerRecord[] = [];
  /** The first ack of each acknowledged id. */
  private readonly acked = new Map<string, PublishAcked>();
  private readonly handledBy = new Map<string, Set<string>>();

  /** Adds a parsed stdout line of a worker (lines that are no record are ignored). */
  add(line: unknown): void {
    if (!isLedgerRecord(line)) return;
    this.records.push(line);
    if (line.kind === 'acked' && !this.acked.has(line.eventId)) this.acked.set(line.eventId, line);
    if (line.kind === 'handled') {
      let ids = this.handledBy.get(line.group);
      if (ids === undefined) {
        ids = new Set();
        this.handledBy.set(line.group, ids);
      }
      ids.add(line.eventId);
    }
  }

  /** Distinct event ids acknowledged so far. */
  get acknowledged(): number {
    return this.acked.size;
  }

  /** Distinct event ids `group` handled so far. */
  handled(group: string): number {
    return this.handledBy.get(group)?.size ?? 0;
  }

  /** Distinct ids acknowledged (those `filter` keeps). */
  acknowledgedWhere(filter: AckFilter): number {
    let n = 0;
    for (const acked of this.acked.values()) if (filter(acked)) n++;
    return n;
  }

  /** Acknowledged ids (those `filter` keeps) `group` has not handled (yet). */
  unhandled(group: string, filter: AckFilter = every): string[] {
    const handled = this.handledBy.get(group) ?? new Set();
    return [...this.acked.values()]
      .filter((a) => filter(a) && !handled.has(a.eventId))
      .map((a) => a.eventId);
  }

  /** The bus counters workers reported when they stopped, by worker. */
  stats(): Map<string, Readonly<Record<string, number>>> {
    const stats = new Map<string, Readonly<Record<string, number>>>();
    for (const r of this.records) {
      if (r.kind === 'stopped' && r.stats !== undefined) stats.set(r.worker, r.stats);
    }
    return stats;
  }

  /** The records of one worker. */
  of(worker: string): LedgerRecord[] {
    return this.records.filter((r) => r.worker === worker);
  }

  /** The event ids of `worker`'s records of `kind` (e.g. the events its handlers finished). */
  idsOf(worker: string, kind: LedgerRecord['kind']): string[] {
    return this.of(worker).flatMap((r) => (r.kind === kind && 'eventId' in r ? [r.eventId] : []));
  }

  /** Messages the workers' buses logged that match `pattern`. */
  logs(pattern: RegExp): string[] {
    return this.records.flatMap((r) => (r.kind === 'log' && pattern.test(r.msg) ? [r.msg] : []));
  }

  /** Handlers started and not (yet) finished or abandoned, per worker. */
  inFlight(worker: string): number {
    let n = 0;
    for (const r of this.of(worker)) {
      if (r.kind === 'started') n++;
      else if (r.kind === 'handled' || r.kind === 'abandoned') n--;
    }
    return n;
  }
}

/** Publishes acknowledged at or after `time` (epoch ms, the publisher's clock). */
export const ackedSince =
  (time: number): AckFilter =>
  (acked) =>
    acked.at >= time;

/** Publishes whose entry id is later than `ms` (the server's clock, e.g. from TIME). */
export const storedAfter =
  (ms: number): AckFilter =>
  (acked) =>
    Number(acked.entryId.split('-')[0]) > ms;
