/**
 * `inspect()` on Redis: XINFO STREAM / GROUPS / CONSUMERS per stream of the
 * catalogue, the XPENDING summary per group (its oldest pending id), the DLQ
 * length, and the retention floors (a dry run of the trim
 * script) to tell which group holds the stream past its limit. `lag` is
 * XINFO GROUPS's `lag` (Redis 7.0+), null when Redis cannot tell (after
 * deletions or trims it may not know). A partitioned stream is inspected per
 * partition key and reported per partition and in total.
 */
import type {
  BusInspection,
  ConsumerInspection,
  GroupInspection,
  StreamInspection,
} from '../bus.js';
import type { CatalogStream } from '../catalog.js';
import { combineInspections } from '../internal/partition-reports.js';
import { partitionKeys } from '../internal/partitions.js';
import type { BusContext } from './bus-context.js';
import { partitionLeaseKey } from './keys.js';
import { readError } from './redis-errors.js';
import type { RetentionKeeper, TrimResult } from './retention-keeper.js';
import { sendRouted } from './routed-command.js';
import { compareIds } from './stream-ids.js';

type Flat = (string | number | null | Flat)[];

function record(flat: Flat): Map<string, unknown> {
  const map = new Map<string, unknown>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(String(flat[i]), flat[i + 1]);
  return map;
}

function entryId(value: unknown): string | null {
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
}

function num(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

function nullableNum(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** Inspects every stream of the catalogue, sorted by name. */
export async function inspectBus(
  ctx: BusContext,
  retention: RetentionKeeper,
): Promise<BusInspection> {
  const names = Object.keys(ctx.catalog.streams).sort();
  const streams = await Promise.all(
    names.map((name) => inspectStream(ctx, retention, ctx.catalog.streams[name]!)),
  );
  return { streams, losses: [...ctx.losses.losses] };
}

/** Inspects `stream`; a partitioned one per partition key, combined (internal/partition-reports.ts). */
async function inspectStream(
  ctx: BusContext,
  retention: RetentionKeeper,
  stream: CatalogStream,
): Promise<StreamInspection> {
  const keys = partitionKeys(stream);
  const parts = await Promise.all(
    keys.map((p) => inspectKey(ctx, retention, stream, p.key, p.dlqKey)),
  );
  return stream.partitions === undefined ? parts[0]! : combineInspections(stream, keys, parts);
}

async function inspectKey(
  ctx: BusContext,
  retention: RetentionKeeper,
  stream: CatalogStream,
  key: string,
  dlqKey: string,
): Promise<StreamInspection> {
  const { command, label } = ctx.connections;
  try {
    const dlqLength = await command.xlen(dlqKey);
    if ((await command.exists(key)) === 0) {
      return {
        name: stream.name,
        key,
        length: 0,
        entriesAdded: 0,
        firstEntryId: null,
        lastEntryId: null,
        dlqLength,
        groups: [],
      };
    }
    const info = record(await sendRouted<Flat>(command, key, 'xinfo', ['STREAM', key]));
    const firstEntryId = entryId(info.get('first-entry'));
    const groupRows = await sendRouted<Flat[]>(command, key, 'xinfo', ['GROUPS', key]);
    const trim = await retention.trim(stream, true, key);
    const partitioned = stream.partitions !== undefined;
    const groups = await Promise.all(
      groupRows.map((row) => inspectGroup(ctx, key, record(row), trim, firstEntryId, partitioned)),
    );
    groups.sort((a, b) => a.name.localeCompare(b.name));
    return {
      name: stream.name,
      key,
      length: num(info.get('length')),
      entriesAdded: nullableNum(info.get('entries-added')),
      firstEntryId,
      lastEntryId: entryId(info.get('last-entry')),
      dlqLength,
      groups,
    };
  } catch (error) {
    throw readError(error, `inspecting stream "${stream.name}"`, label);
  }
}

async function inspectGroup(
  ctx: BusContext,
  key: string,
  group: Map<string, unknown>,
  trim: TrimResult,
  firstEntryId: string | null,
  partitioned: boolean,
): Promise<GroupInspection> {
  const name = String(group.get('name'));
  const { command } = ctx.connections;
  const [rows, summary, lease] = await Promise.all([
    sendRouted<Flat[]>(command, key, 'xinfo', ['CONSUMERS', key, name]),
    // The summary form: [count, smallest id, greatest id, per consumer].
    command.xpending(key, name) as Promise<Flat>,
    partitioned ? command.get(partitionLeaseKey(key, name)) : undefined,
  ]);
  const oldestPendingId = typeof summary[1] === 'string' ? summary[1] : null;
  const consumers: ConsumerInspection[] = rows
    .map((row) => {
      const c = record(row);
      return {
        name: String(c.get('name')),
        pending: num(c.get('pending')),
        idleMs: num(c.get('idle')),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  const lag = group.get('lag');
  const oldestMs = oldestPendingId === null ? Number.NaN : Number(oldestPendingId.split('-')[0]);
  const floor = trim.floors.get(name);
  // The group holds the stream past its limit when retention would trim below its floor.
  const laggingPastRetention =
    trim.cutoff !== '' &&
    floor !== undefined &&
    compareIds(floor, trim.cutoff) < 0 &&
    firstEntryId !== null &&
    compareIds(firstEntryId, trim.cutoff) < 0;
  return {
    name,
    consumers,
    pending: num(group.get('pending')),
    lag: nullableNum(lag),
    lastDeliveredId: String(group.get('last-delivered-id') ?? '0-0'),
    oldestPendingId,
    oldestPendingAgeMs: Number.isFinite(oldestMs) ? Math.max(0, Date.now() - oldestMs) : null,
    laggingPastRetention,
    // The lease holds the reader's token, `<consumer>#<random>` (partition-lease.ts).
    ...(partitioned ? { reader: lease ? lease.slice(0, lease.lastIndexOf('#')) : null } : {}),
  };
}
