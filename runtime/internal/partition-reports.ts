/**
 * A partitioned stream reported as one: the bootstrap and inspect results of
 * its partition keys combined into the stream's, with each partition's own
 * result kept beside the total. Both buses use these, so both report alike.
 */
import type { CatalogStream } from '../catalog.js';
import type {
  ConsumerInspection,
  GroupBootstrap,
  GroupInspection,
  PartitionInspection,
  StreamBootstrap,
  StreamInspection,
} from '../introspection.js';
import type { PartitionKeys } from './partitions.js';

/** The bootstrap report of a partitioned stream from those of its partition keys (in partition order). */
export function combineBootstraps(
  stream: CatalogStream,
  keys: readonly PartitionKeys[],
  reports: readonly StreamBootstrap[],
  /** The key of a partition beyond the catalogue's count, when the server has one. */
  beyond?: string,
): StreamBootstrap {
  const warnings = partitionCountWarnings(
    stream,
    reports.map((r) => r.status === 'found'),
    beyond,
  );
  const statuses = reports.map((r) => r.status);
  const status = statuses.includes('found')
    ? 'found'
    : statuses.includes('created')
      ? 'created'
      : 'absent';
  const groups = Object.values(stream.groups)
    .map((group): GroupBootstrap => {
      const created = reports.some((r) =>
        r.groups.some((g) => g.name === group.name && g.status === 'created'),
      );
      return {
        name: group.name,
        startFrom: group.startFrom,
        status: created ? 'created' : 'found',
      };
    })
    .filter((g) => reports.some((r) => r.groups.some((x) => x.name === g.name)));
  return {
    name: stream.name,
    key: stream.key,
    dlqKey: stream.dlqKey,
    status,
    groups,
    unknownGroups: [...new Set(reports.flatMap((r) => r.unknownGroups))].sort(),
    partitions: keys.map((partition, i) => ({
      index: partition.index,
      key: partition.key,
      dlqKey: partition.dlqKey,
      status: reports[i]?.status ?? 'absent',
    })),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Signs that a partitioned stream's `partitions` changed since its keys were made. */
function partitionCountWarnings(
  stream: CatalogStream,
  found: readonly boolean[],
  beyond: string | undefined,
): string[] {
  const count = found.length;
  const reroute =
    'keys now route to other partitions, so the order of a key is not kept across the change ' +
    '(drain the stream before changing `partitions`: README "Partitioned streams")';
  const warnings: string[] = [];
  const existed = found.filter(Boolean).length;
  if (existed > 0 && existed < count) {
    const fresh = found.flatMap((was, i) => (was ? [] : [`p${i}`]));
    warnings.push(
      `stream ${stream.name}: ${existed} of its ${count} partitions existed and ${fresh.join(', ')} did not: if \`partitions\` was raised, ${reroute}`,
    );
  }
  if (beyond !== undefined) {
    warnings.push(
      `stream ${stream.name}: ${beyond} exists beyond the catalogue's ${count} partitions: if \`partitions\` was lowered, nothing reads what is left there, and ${reroute}`,
    );
  }
  return warnings;
}

/**
 * The inspection of a partitioned stream from those of its partition keys
 * (in partition order, each with `name` the stream's): lengths, DLQ sizes,
 * entries added, pending and lag summed; first and last ids the smallest and
 * the largest; a group's consumers merged by name (pending summed, the
 * smallest idle time); every partition's own figures in `partitions`.
 */
export function combineInspections(
  stream: CatalogStream,
  keys: readonly PartitionKeys[],
  parts: readonly StreamInspection[],
): StreamInspection {
  const partitions = parts.map(
    (part, i): PartitionInspection => ({
      index: keys[i]?.index ?? i,
      key: part.key,
      dlqKey: keys[i]?.dlqKey ?? `${part.key}:dlq`,
      length: part.length,
      entriesAdded: part.entriesAdded,
      firstEntryId: part.firstEntryId,
      lastEntryId: part.lastEntryId,
      dlqLength: part.dlqLength,
      groups: part.groups,
    }),
  );
  const groupNames = [...new Set(parts.flatMap((p) => p.groups.map((g) => g.name)))].sort();
  return {
    name: stream.name,
    key: stream.key,
    length: sum(parts.map((p) => p.length)),
    entriesAdded: sumOrNull(parts.map((p) => p.entriesAdded)),
    firstEntryId: extremeId(
      parts.map((p) => p.firstEntryId),
      -1,
    ),
    lastEntryId: extremeId(
      parts.map((p) => p.lastEntryId),
      1,
    ),
    dlqLength: sum(parts.map((p) => p.dlqLength)),
    groups: groupNames.map((name) =>
      combineGroups(
        name,
        parts.flatMap((p) => p.groups.filter((g) => g.name === name)),
      ),
    ),
    partitions,
  };
}

function combineGroups(name: string, groups: readonly GroupInspection[]): GroupInspection {
  const consumers = new Map<string, ConsumerInspection>();
  for (const consumer of groups.flatMap((g) => g.consumers)) {
    const known = consumers.get(consumer.name);
    consumers.set(
      consumer.name,
      known === undefined
        ? consumer
        : {
            name: consumer.name,
            pending: known.pending + consumer.pending,
            idleMs: Math.min(known.idleMs, consumer.idleMs),
          },
    );
  }
  const oldest = groups
    .filter((g) => g.oldestPendingId !== null)
    .sort((a, b) => compareIds(a.oldestPendingId!, b.oldestPendingId!))[0];
  return {
    name,
    consumers: [...consumers.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    pending: sum(groups.map((g) => g.pending)),
    lag: sumOrNull(groups.map((g) => g.lag)),
    lastDeliveredId:
      extremeId(
        groups.map((g) => g.lastDeliveredId),
        1,
      ) ?? '0-0',
    oldestPendingId: oldest?.oldestPendingId ?? null,
    oldestPendingAgeMs: oldest?.oldestPendingAgeMs ?? null,
    laggingPastRetention: groups.some((g) => g.laggingPastRetention),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : sum(values as number[]);
}

/** Compares two stream ids `ms-seq` numerically. */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

/** The smallest (`direction` -1) or largest (1) of the ids present, null when none is. */
function extremeId(ids: readonly (string | null)[], direction: 1 | -1): string | null {
  let best: string | null = null;
  for (const id of ids) {
    if (id !== null && (best === null || compareIds(id, best) * direction > 0)) best = id;
  }
  return best;
}
