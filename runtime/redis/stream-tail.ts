/**
 * `tail()` on Redis: follows a stream read-only with `XREAD BLOCK` on a
 * connection of its own. Never XREADGROUP, never XACK, no group: nothing any
 * consumer sees changes. Aborting the signal, or closing the bus, drops that
 * connection, so the iterator ends at once.
 */
import type { CatalogStream } from '../catalog.js';
import { type DecodeResult, decodeEntry } from '../internal/entry-codec.js';
import { type EntryFields, fieldsToRecord } from '../internal/entry-fields.js';
import { mergeAsync } from '../internal/merge-async.js';
import { partitionKeys } from '../internal/partitions.js';
import type { BusContext } from './bus-context.js';
import type { RedisClient } from './redis-client.js';
import { readError } from './redis-errors.js';

/** Options of `RedisEventBus.tail`. */
export interface TailOptions {
  /**
   * `$`: only entries added from now on; `0`: the whole stream; an entry id:
   * the entries after it. @default '$'
   */
  readonly from?: string | undefined;
  /** Aborted to stop following: the iterator then ends. */
  readonly signal?: AbortSignal | undefined;
  /** How long one read blocks before it is sent again. @default 1000 */
  readonly blockMs?: number | undefined;
}

/** One entry as `tail` reads it. */
export interface TailEntry {
  /** The stream entry id. */
  readonly entryId: string;
  /** The entry's fields as stored. */
  readonly fields: EntryFields;
  /** The decoded envelope, or why the entry is not one (it is shown, never skipped). */
  readonly decoded: DecodeResult;
  /** The partition it was read from, on a partitioned stream. */
  readonly partition?: number;
}

/** `0`, a millisecond time or a full entry id: what XREAD accepts as a start. */
const ENTRY_ID = /^\d+(-\d+)?$/;

/** How long one XREAD blocks by default. */
const DEFAULT_BLOCK_MS = 1000;

/** Entries fetched per XREAD at most. */
const READ_COUNT = 100;

/**
 * Follows `stream` until `options.signal` aborts, the bus closes or the
 * caller stops iterating. A partitioned stream is followed on every
 * partition key (one reader each: their slots differ on a Cluster), entries
 * in the order they arrive, each with its `partition`; `from` applies to
 * every partition.
 */
export function tailStream(
  ctx: BusContext,
  stream: CatalogStream,
  options: TailOptions,
  /** Aborted when the bus closes: every tail ends before its connections go. */
  closing: AbortSignal,
): AsyncGenerator<TailEntry, void, undefined> {
  if (stream.partitions === undefined)
    return tailKey(ctx, stream, stream.key, undefined, options, closing);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const tails = partitionKeys(stream).map((p) =>
    tailKey(ctx, stream, p.key, p.index, { ...options, signal }, closing),
  );
  return mergeAsync(tails, () => stop.abort());
}

async function* tailKey(
  ctx: BusContext,
  stream: CatalogStream,
  key: string,
  partition: number | undefined,
  options: TailOptions,
  closing: AbortSignal,
): AsyncGenerator<TailEntry, void, undefined> {
  const from = options.from ?? '$';
  if (from !== '$' && !ENTRY_ID.test(from)) {
    throw new TypeError(
      `tail: from must be $, 0 or an entry id like 1718000000000-0, got "${from}"`,
    );
  }
  const blockMs = options.blockMs ?? DEFAULT_BLOCK_MS;
  if (!(Number.isInteger(blockMs) && blockMs > 0)) {
    throw new TypeError(`tail: blockMs must be a positive integer, got ${blockMs}`);
  }
  const { connections, maxEntryBytes } = ctx;
  const signal = options.signal ? AbortSignal.any([options.signal, closing]) : closing;
  if (signal.aborted) return;
  // Named after the command connection, so CLIENT LIST tells whose tail it is.
  const name = partition === undefined ? stream.name : `${stream.name}:p${partition}`;
  const reader = connections.reader(`${connections.name}:tail:${name}`, key);
  // Dropping the reader ends a blocked XREAD at once, whatever the connection went through
  // (a CLIENT UNBLOCK would need the reader's current id, and an ACL allowing it).
  const stop = () => connections.release(reader, true);
  signal.addEventListener('abort', stop, { once: true });
  try {
    let lastId = from === '$' ? await lastEntryId(connections.command, key) : from;
    while (!signal.aborted) {
      let reply: [key: string, entries: [id: string, fields: string[]][]][] | null;
      try {
        // On a Cluster: ASKING while the stream's slot migrates to the reader's node.
        if (connections.asking(reader)) reader.asking().catch(() => undefined);
        reply = (await reader.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          blockMs,
          'STREAMS',
          key,
          lastId,
        )) as typeof reply;
      } catch (error) {
        // On a Cluster, MOVED/ASK move the reader, UNBLOCKED/TRYAGAIN/CLUSTERDOWN are read again.
        if (!signal.aborted && (await connections.followRedirect(reader, error))) continue;
        throw error;
      }
      for (const [entryId, fields] of reply?.[0]?.[1] ?? []) {
        lastId = entryId;
        const entry = {
          entryId,
          fields: fieldsToRecord(fields),
          decoded: decodeEntry(fields, maxEntryBytes),
        };
        yield partition === undefined ? entry : { ...entry, partition };
        if (signal.aborted) return;
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    throw readError(error, `tail of stream "${stream.name}"`, connections.label);
  } finally {
    signal.removeEventListener('abort', stop);
    connections.release(reader);
  }
}

/** The id of the stream's newest entry, `0-0` when it is empty or missing. */
async function lastEntryId(client: RedisClient, key: string): Promise<string> {
  const [last] = (await client.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
  return last?.[0] ?? '0-0';
}
