/**
 * The dead-letter queue of a partitioned stream as one: each partition has
 * its own DLQ key (its own hash tag), and `bus.dlq(stream)` lists, counts,
 * replays and purges across all of them. A dead letter's id is then
 * `p<partition>:<DLQ entry id>` (ids of two partitions' DLQs may be equal),
 * lists are ordered by entry id then partition, and a replay goes back to
 * the letter's own partition. Both buses use it.
 */
import type { Published } from '../bus.js';
import type {
  DeadLetter,
  DeadLetterFilter,
  DeadLetterListOptions,
  DeadLetterQueue,
} from '../dead-letter-queue.js';
import { CatalogMismatchError } from '../errors.js';

const DEFAULT_PAGE = 100;
const PARTITIONED_ID = /^p(\d+):(\d+-\d+)$/;

/** `p<partition>:<id>`: the id of a partitioned stream's dead letter. */
export function partitionedLetterId(partition: number, id: string): string {
  return `p${partition}:${id}`;
}

/** The partition and DLQ entry id of a partitioned dead letter id, undefined when it is not one. */
export function parsePartitionedLetterId(
  id: string,
): { readonly partition: number; readonly id: string } | undefined {
  const match = PARTITIONED_ID.exec(id);
  return match === null ? undefined : { partition: Number(match[1]), id: match[2]! };
}

/** One DLQ over the DLQs of a stream's partitions (`queues[i]` is partition i's). */
export function combineDeadLetterQueues(
  stream: string,
  queues: readonly DeadLetterQueue[],
): DeadLetterQueue {
  const qualify = (partition: number, letter: DeadLetter): DeadLetter => ({
    ...letter,
    id: partitionedLetterId(partition, letter.id),
    partition,
  });
  /** The filter for partition `p`: its own ids, when the filter names ids. */
  const filterFor = <F extends DeadLetterFilter>(
    filter: F | undefined,
    p: number,
  ): F | undefined => {
    if (filter?.ids === undefined) return filter;
    const ids = filter.ids.flatMap((id) => {
      const parsed = parsePartitionedLetterId(id);
      return parsed?.partition === p ? [parsed.id] : [];
    });
    return { ...filter, ids };
  };
  const skip = (filter: DeadLetterFilter | undefined, p: number) =>
    filter?.ids !== undefined && filterFor(filter, p)?.ids?.length === 0;
  return {
    async list(options: DeadLetterListOptions = {}): Promise<DeadLetter[]> {
      const count = options.count ?? DEFAULT_PAGE;
      const after =
        options.after === undefined ? undefined : parsePartitionedLetterId(options.after);
      const pages = await Promise.all(
        queues.map(async (queue, p) => {
          if (skip(options, p)) return [];
          const own = filterFor(options, p) ?? {};
          // After (id, partition): ids above it, and the id itself on later partitions.
          const from =
            after === undefined
              ? undefined
              : p <= after.partition
                ? after.id
                : previousId(after.id);
          const letters = await queue.list({
            ...own,
            count,
            ...(from === undefined ? {} : { after: from }),
          });
          return letters.map((letter) => qualify(p, letter));
        }),
      );
      return pages
        .flat()
        .sort((a, b) => compareLetters(a, b))
        .slice(0, count);
    },
    async count(): Promise<number> {
      const counts = await Promise.all(queues.map((q) => q.count()));
      return counts.reduce((a, b) => a + b, 0);
    },
    async replay(id: string): Promise<Published> {
      const parsed = parsePartitionedLetterId(id);
      const queue = parsed === undefined ? undefined : queues[parsed.partition];
      if (parsed === undefined || queue === undefined) {
        throw new CatalogMismatchError(
          `no dead letter "${id}" in the DLQ of partitioned stream "${stream}": its dead letter ids are p<partition>:<id>; list the DLQ for current ids`,
        );
      }
      return { ...(await queue.replay(parsed.id)), partition: parsed.partition };
    },
    async replayAll(filter?: DeadLetterFilter): Promise<number> {
      let n = 0;
      for (const [p, queue] of queues.entries()) {
        if (!skip(filter, p)) n += await queue.replayAll(filterFor(filter, p));
      }
      return n;
    },
    async purge(filter?: DeadLetterFilter): Promise<number> {
      let n = 0;
      for (const [p, queue] of queues.entries()) {
        if (!skip(filter, p)) n += await queue.purge(filterFor(filter, p));
      }
      return n;
    },
  };
}

function compareLetters(a: DeadLetter, b: DeadLetter): number {
  const pa = parsePartitionedLetterId(a.id)!;
  const pb = parsePartitionedLetterId(b.id)!;
  return compareStreamIds(pa.id, pb.id) || pa.partition - pb.partition;
}

function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}

/** The stream id just below `id` (so `after` it includes `id`). */
function previousId(id: string): string | undefined {
  const [ms, seq] = id.split('-').map(BigInt) as [bigint, bigint];
  if (seq > 0n) return `${ms}-${seq - 1n}`;
  if (ms > 0n) return `${ms - 1n}-18446744073709551615`;
  return undefined;
}
