/**
 * The first thing a consumer does with a partition it just leased: it takes
 * over the group's pending entries of that partition (left by the previous
 * holder, dead or gone, or by itself before), in id order, before it reads
 * new entries, so per-key order holds across holders (partition-takeover.lua:
 * one page per call, only while the lease is the caller's). A retry still
 * waiting for its backoff is handed over with its wait: it holds its key's
 * later events until then (entry-handling.ts).
 */
import type { CatalogGroup } from '../catalog.js';
import type { BusContext } from './bus-context.js';
import type { StreamKeys } from './keys.js';

/** What a takeover needs from its consumer. */
export interface TakeoverHost {
  readonly keys: StreamKeys;
  readonly group: CatalogGroup;
  readonly consumer: string;
  readonly leaseKey: string;
  readonly token: string;
  /** Entries claimed per call. */
  readonly pageSize: number;
  /** Aborted when the consumer stops. */
  readonly signal: AbortSignal;
  /** Resolves once the consumer has room for a page (or stops). */
  room(): Promise<void>;
  accept(id: string, fields: string[], deliveries: number, since: number, waitMs: number): void;
  /** An entry deleted while pending (the script acked it): count the loss. */
  lost(id: string): void;
}

/** Takes the partition's pending entries over; resolves false when the lease was not the caller's (nothing taken). */
export async function takeOverPartition(ctx: BusContext, host: TakeoverHost): Promise<boolean> {
  const { command } = ctx.connections;
  let start = '-';
  while (!host.signal.aborted) {
    await host.room();
    if (host.signal.aborted) break;
    const sentAt = Date.now();
    const reply = await command.schemabusPartitionTakeover(
      host.keys.stream,
      host.keys.failures,
      host.leaseKey,
      host.group.name,
      host.consumer,
      host.token,
      start,
      host.pageSize,
    );
    if (reply[0] === -1) return false;
    const [claimed, lost, last] = reply;
    for (const id of lost) host.lost(id);
    for (const [id, fields, deliveries, waitMs] of claimed) {
      host.accept(id, fields, Number(deliveries), sentAt, Number(waitMs));
    }
    if (last === '') break;
    start = `(${last}`;
  }
  return true;
}
