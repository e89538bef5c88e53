/**
 * Where `schemabus dlq` says dead letters are: the stream's DLQ key, or for
 * a partitioned stream its partitions' DLQ keys (`{ns:s:p0}:dlq ..
 * {ns:s:p3}:dlq`), and why an id asked for matched nothing, with the full
 * `p<partition>:<id>` when the entry id is in one of the partitions.
 */
import type { CatalogStream } from 'schemabus';
import { dlqKeysOf } from '../../generator/catalog/index.js';
import type { RedisSession } from './redis-session.js';

const STREAM_ID = /^\d+-\d+$/;
const PARTITIONED_ID = /^p(\d+):(\d+-\d+)$/;

/** The DLQ key of `stream`, or its first and last partition DLQ keys. */
export function describeDlqKeys(stream: CatalogStream): string {
  const keys = dlqKeysOf(stream);
  if (keys.length === 1) return keys[0]!;
  return `${keys.length} partition DLQs ${keys[0]} .. ${keys.at(-1)}`;
}

/**
 * One line per id of `missing` (ids asked for that matched nothing): on a
 * partitioned stream, that its ids are `p<partition>:<id>`, and the full
 * ids under which the entry id is there, when it is.
 */
export async function missingIdNotes(
  session: RedisSession,
  stream: CatalogStream,
  missing: readonly string[],
): Promise<string[]> {
  if (stream.partitions === undefined) {
    return missing.map(
      (id) => `no dead letter ${id} in ${stream.dlqKey} (replayed or purged already?)`,
    );
  }
  const count = stream.partitions.count;
  const notes: string[] = [];
  for (const id of missing) {
    const qualified = PARTITIONED_ID.exec(id);
    const entryId = qualified === null ? id : qualified[2]!;
    const elsewhere = STREAM_ID.test(entryId)
      ? await findInPartitions(session, stream, entryId)
      : [];
    const hint = elsewhere.length > 0 ? `; did you mean ${elsewhere.join(' or ')}?` : '';
    if (qualified === null) {
      notes.push(
        `no dead letter ${id} in stream ${stream.name}: it is partitioned, so its dead letter ids are p<partition>:<id> (p0..p${count - 1}, as dlq list shows them)${hint}`,
      );
    } else if (Number(qualified[1]) >= count) {
      notes.push(
        `no dead letter ${id} in stream ${stream.name}: it has partitions p0..p${count - 1}${hint}`,
      );
    } else {
      const key = dlqKeysOf(stream)[Number(qualified[1])];
      notes.push(`no dead letter ${id} in ${key} (replayed or purged already?)${hint}`);
    }
  }
  return notes;
}

/** The `p<i>:<entryId>` ids of the dead letters with DLQ entry id `entryId`, across the partitions. */
async function findInPartitions(
  session: RedisSession,
  stream: CatalogStream,
  entryId: string,
): Promise<string[]> {
  const ids = dlqKeysOf(stream).map((_, p) => `p${p}:${entryId}`);
  const found = await session.bus.dlq(stream.name).list({ ids, count: ids.length });
  return found.map((letter) => letter.id);
}
