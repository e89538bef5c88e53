/**
 * Retries and crash recovery for one consumer of one stream, plus the
 * heartbeat that keeps the entries it holds.
 *
 * - Retry: a failed entry stays pending with a failure record (scripts/fail.lua)
 *   holding its backoff delay; the scan (scripts/claim.lua) claims it with
 *   `XCLAIM <delay>` once it has been idle that long, which adds one to its
 *   delivery count — the attempt number, counted by Redis across consumers
 *   and restarts. A scan also runs right when a retry of this consumer is due.
 * - Recovery: an entry without a current failure record, idle for
 *   `claimIdleMs`, belongs to a consumer presumed dead and is claimed too.
 * - Exhausted: an eligible entry already delivered `maxAttempts` times is
 *   dead-lettered by the scan, so an event that kills its consumer on every
 *   delivery still ends in the DLQ.
 * - Heartbeat: every `claimIdleMs / 3` the consumer re-claims what it holds
 *   with `XCLAIM ... JUSTID` (idle reset, count unchanged) so a long handler
 *   is not taken for dead.
 */

import type { CatalogGroup } from '../catalog.js';
import { minRetryDelayMs } from '../internal/backoff.js';
import type { BusContext } from './bus-context.js';
import type { StreamKeys } from './keys.js';
import { readError } from './redis-errors.js';
import type { ClaimedEntry, GoneReason } from './scripts/index.js';

/** How the claimer reports back to its consumer. */
export interface ClaimerHost {
  readonly consumer: string;
  /** Entry slots free now (claims beyond this wait for the next scan). */
  room(): number;
  /** Hands over a claimed entry, this consumer's since `since` (when the claim was sent) at the earliest. */
  accept(id: string, fields: string[], deliveries: number, since: number): void;
  /** Entries were claimed from `owner`, a consumer presumed dead (idle past claimIdleMs). */
  tookOver(owner: string, ids: readonly string[]): void;
  /** Ids of the entries the consumer holds (fetched or running). */
  held(): string[];
  /** Entries the consumer no longer owns in Redis, each with why (taken over, acked or deleted). */
  gone(entries: readonly [id: string, why: GoneReason][]): void;
  /** A heartbeat confirmed at `at` that the consumer still owns the entries `ids`. */
  confirmed(at: number, ids: readonly string[]): void;
  /** Counts outcomes of the scan. */
  deadLettered(id: string, deliveries: number, owner: string): void;
  lost(id: string): void;
}

/** Timing of the claimer. */
export interface ClaimerOptions {
  /** How often to scan the group's pending entries. @default claimIdleMs / 4, within 20..5000 ms */
  readonly intervalMs?: number | undefined;
  /** PEL entries looked at per scan. @default 1000 */
  readonly maxScan?: number | undefined;
}

/** Next scan after one that had no room for every retry due: soon (slots free as handlers end). */
const ROOM_POLL_MS = 25;
/** The same when it had no room at all (every slot busy, or the circuit breaker open). */
const NO_ROOM_POLL_MS = 250;

/** Claim scans and heartbeats of one consumer on one stream. */
export class Claimer {
  private scanTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private nextScanAt = Number.POSITIVE_INFINITY;
  private scanning = false;
  private beating = false;
  private rescan = false;
  private stopped = false;
  /**
   * When this consumer's retries are due (ms since epoch), until a scan had
   * room for them: each one makes a scan run then, not only the earliest.
   */
  private dues: number[] = [];
  private readonly intervalMs: number;
  private readonly minIdleMs: number;

  constructor(
    private readonly ctx: BusContext,
    private readonly group: CatalogGroup,
    private readonly keys: StreamKeys,
    private readonly host: ClaimerHost,
    private readonly options: ClaimerOptions = {},
  ) {
    this.intervalMs =
      options.intervalMs ?? Math.min(5000, Math.max(20, Math.floor(group.claimIdleMs / 4)));
    this.minIdleMs = Math.max(0, Math.min(minRetryDelayMs(group.retry, 1), group.claimIdleMs));
  }

  start(): void {
    this.scheduleScan(this.intervalMs);
    const beat = Math.max(10, Math.floor(this.group.claimIdleMs / 3));
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), beat);
    this.heartbeatTimer.unref?.();
  }

  /** Stops scanning; the heartbeat goes on until {@link stopHeartbeat} (close waits for handlers). */
  stop(): void {
    this.stopped = true;
    if (this.scanTimer !== undefined) clearTimeout(this.scanTimer);
    this.scanTimer = undefined;
  }

  stopHeartbeat(): void {
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  /** Makes a scan run at `at` (ms since epoch) at the latest: a retry of this consumer is due then. */
  wakeAt(at: number): void {
    if (this.stopped) return;
    this.dues.push(at);
    this.scheduleScan(Math.max(0, at - Date.now()));
  }

  /**
   * When the next scan runs after one sent at `sentAt` that was given `room`
   * slots and claimed `claimed` entries: soon while retries due by then may
   * have found no room (a scan claims at most `room`), else at the next retry
   * due, else after the interval.
   */
  private nextScanDelay(sentAt: number, room: number, claimed: number): number {
    const owed = this.dues.some((at) => at <= sentAt);
    if (owed && claimed >= room) return room === 0 ? NO_ROOM_POLL_MS : ROOM_POLL_MS;
    this.dues = this.dues.filter((at) => at > sentAt);
    const next = this.dues.reduce((min, at) => Math.min(min, at), Number.POSITIVE_INFINITY);
    return Math.max(0, Math.min(this.intervalMs, next - Date.now()));
  }

  private scheduleScan(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (this.scanTimer !== undefined && this.nextScanAt <= at) return;
    if (this.scanTimer !== undefined) clearTimeout(this.scanTimer);
    this.nextScanAt = at;
    this.scanTimer = setTimeout(() => {
      this.scanTimer = undefined;
      this.nextScanAt = Number.POSITIVE_INFINITY;
      void this.scan();
    }, delayMs);
  }

  /** One scan; never throws (failures are logged and the next scan retries). */
  async scan(): Promise<void> {
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = true;
    const sentAt = Date.now();
    const room = this.stopped ? 0 : this.host.room();
    let claimedCount = 0;
    try {
      const [claimed, dead, lost, refusal] = await this.ctx.connections.command.schemabusClaim(
        this.keys.stream,
        this.keys.dlq,
        this.keys.failures,
        this.group.name,
        this.host.consumer,
        this.minIdleMs,
        this.group.claimIdleMs,
        this.group.retry.maxAttempts,
        room,
        new Date().toISOString(),
        this.group.dlq ? '1' : '0',
        this.options.maxScan ?? 1000,
      );
      if (refusal) {
        this.ctx.logger.error(
          { group: this.group.name, stream: this.group.stream, error: refusal },
          'an entry out of attempts cannot be dead-lettered: Redis refused it (ACL); it stays pending',
        );
      }
      for (const [id, deliveries, owner] of dead)
        this.host.deadLettered(id, Number(deliveries), owner);
      for (const id of lost) this.host.lost(id);
      const takenFrom = new Map<string, string[]>();
      claimedCount = claimed.length;
      for (const entry of claimed as ClaimedEntry[]) {
        const [id, fields, deliveries, from] = entry;
        if (typeof from === 'string') takenFrom.set(from, [...(takenFrom.get(from) ?? []), id]);
        this.host.accept(id, fields, Number(deliveries), sentAt);
      }
      for (const [owner, ids] of takenFrom) this.host.tookOver(owner, ids);
    } catch (error) {
      if (!this.stopped) {
        this.ctx.logger.warn(
          {
            group: this.group.name,
            stream: this.group.stream,
            error: readError(error, 'claim scan', this.ctx.connections.label).message,
          },
          'claim scan failed; retrying on the next scan',
        );
      }
    } finally {
      this.scanning = false;
      const again = this.rescan;
      this.rescan = false;
      this.scheduleScan(again ? 0 : this.nextScanDelay(sentAt, room, claimedCount));
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.beating) return;
    const at = Date.now();
    const ids = this.host.held();
    if (ids.length === 0) return;
    this.beating = true;
    try {
      const gone = await this.touch(ids);
      if (gone.length > 0) this.host.gone(gone);
      this.host.confirmed(at, ids);
    } catch (error) {
      this.ctx.logger.warn(
        {
          group: this.group.name,
          stream: this.group.stream,
          error: readError(error, 'heartbeat', this.ctx.connections.label).message,
        },
        'heartbeat of held entries failed; another consumer may claim them if it keeps failing',
      );
    } finally {
      this.beating = false;
    }
  }

  /** Re-claims `ids` for this consumer where it still owns them; the others, with why. */
  async touch(ids: readonly string[]): Promise<[id: string, why: GoneReason][]> {
    const gone: [id: string, why: GoneReason][] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      gone.push(
        ...(await this.ctx.connections.command.schemabusTouch(
          this.keys.stream,
          this.group.name,
          this.host.consumer,
          ...chunk,
        )),
      );
    }
    return gone;
  }
}
