/**
 * `bootstrap()` on Redis: `XGROUP CREATE ... MKSTREAM` for every group of
 * the catalogue, from `$` or `0` per its `startFrom`; a group that exists
 * (BUSYGROUP) is left where it is. Reports per stream whether it existed
 * (EXISTS, queued before the creates on the same connection, so it sees
 * the state before them), which groups it created, and which groups Redis
 * has that the catalogue does not list. A partitioned stream gets every
 * group on each partition key.
 */

import { partitionStreamKey } from '../../schema/partition-keys.js';
import type { BootstrapReport, GroupBootstrap, StreamBootstrap } from '../bus.js';
import type { CatalogStream } from '../catalog.js';
import { combineBootstraps } from '../internal/partition-reports.js';
import { partitionByKey, partitionKeys } from '../internal/partitions.js';
import type { BusContext } from './bus-context.js';
import { createGroup } from './consumer-group.js';
import type { RedisClient } from './redis-client.js';
import { readError } from './redis-errors.js';
import { sendRouted } from './routed-command.js';

/** Creates every stream and group of the catalogue that is missing; streams sorted by name. */
export async function bootstrapStreams(ctx: BusContext): Promise<BootstrapReport> {
  const { catalog, connections } = ctx;
  const names = Object.keys(catalog.streams).sort();
  const streams = await Promise.all(
    names.map((name) =>
      bootstrapStream(connections.command, connections.label, catalog.streams[name]!),
    ),
  );
  return { streams };
}

/**
 * Bootstraps `stream`; a partitioned stream has each group created on every
 * partition key, and its report combines theirs (see `StreamBootstrap.partitions`).
 */
async function bootstrapStream(
  command: RedisClient,
  label: string,
  stream: CatalogStream,
): Promise<StreamBootstrap> {
  if (stream.partitions === undefined) return bootstrapKey(command, label, stream, stream.key);
  const keys = partitionKeys(stream);
  // Probed before the groups are created: a partition beyond the count means it was lowered.
  const next = partitionStreamKey(stream.key, keys.length);
  const beyond = (await command.exists(next)) === 1 ? next : undefined;
  const reports = await Promise.all(
    keys.map((partition) => bootstrapKey(command, label, stream, partition.key)),
  );
  return combineBootstraps(stream, keys, reports, beyond);
}

async function bootstrapKey(
  command: RedisClient,
  label: string,
  stream: CatalogStream,
  key: string,
): Promise<StreamBootstrap> {
  const existed = command.exists(key);
  const groups = Object.values(stream.groups).map((group) =>
    createGroup(command, key, group).then(
      (status): GroupBootstrap => ({ name: group.name, startFrom: group.startFrom, status }),
      (error: unknown): GroupBootstrap => {
        throw readError(error, `creating group "${group.name}" on stream "${stream.name}"`, label);
      },
    ),
  );
  const [exists, created] = await Promise.all([existed, Promise.all(groups)]);
  const status = exists === 1 ? 'found' : created.length > 0 ? 'created' : 'absent';
  const onServer =
    exists === 1 || created.length > 0 ? await groupNames(command, label, stream, key) : [];
  return {
    name: stream.name,
    key,
    dlqKey: partitionByKey(stream, key)?.dlqKey ?? stream.dlqKey,
    status,
    groups: created,
    unknownGroups: onServer.filter((name) => stream.groups[name] === undefined).sort(),
  };
}

/** The names of the groups Redis has on the stream. */
async function groupNames(
  command: RedisClient,
  label: string,
  stream: CatalogStream,
  key: string,
): Promise<string[]> {
  try {
    const rows = await sendRouted<unknown[][]>(command, key, 'xinfo', ['GROUPS', key]);
    return rows.map((row) => String(row[row.indexOf('name') + 1]));
  } catch (error) {
    throw readError(error, `listing the groups of stream "${stream.name}"`, label);
  }
}
