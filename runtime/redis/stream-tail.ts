/**
 * `tail()` on Redis: follows a stream read-only with `XREAD BLOCK` on a
 * connection of its own. Never XREADGROUP, never XACK, no group: nothing any
 * consumer sees changes. Aborting the signal unblocks the pending read from
 * the command connection (`CLIENT UNBLOCK`), so the iterator ends at once.
 */
import type { Redis } from 'ioredis';
import type { CatalogStream } from '../catalog.js';
import { type DecodeResult, decodeEntry } from '../internal/entry-codec.js';
import { type EntryFields, fieldsToRecord } from '../internal/entry-fields.js';
import type { BusContext } from './bus-context.js';
import { CONNECTION_NAME } from './connection-options.js';
import { readError } from './redis-errors.js';

/** Options of `RedisEventBus.tail`. */
export interface TailOptions {
  /**
   * `$`: only entries added from now on; `0`: the whole stream; an entry id:
   * the entries after it. @default '$'
   */
  readonly from?: string;
  /** Aborted to stop following: the iterator then ends. */
  readonly signal?: AbortSignal;
  /** How long one read blocks before it is sent again. @default 1000 */
  readonly blockMs?: number;
}

/** One entry as `tail` reads it. */
export interface TailEntry {
  /** The stream entry id. */
  readonly entryId: string;
  /** The entry's fields as stored. */
  readonly fields: EntryFields;
  /** The decoded envelope, or why the entry is not one (it is shown, never skipped). */
  readonly decoded: DecodeResult;
}

/** `0`, a millisecond time or a full entry id: what XREAD accepts as a start. */
const ENTRY_ID = /^\d+(-\d+)?$/;

/** Entries fetched per XREAD at most. */
const READ_COUNT = 100;

/** Follows `stream` until `options.signal` aborts or the caller stops iterating. */
export async function* tailStream(
  ctx: BusContext,
  stream: CatalogStream,
  options: TailOptions = {},
): AsyncGenerator<TailEntry, void, undefined> {
  const from = options.from ?? '$';
  if (from !== '$' && !ENTRY_ID.test(from)) {
    throw new TypeError(
      `tail: from must be $, 0 or an entry id like 1718000000000-0, got "${from}"`,
    );
  }
  const { connections, maxEntryBytes } = ctx;
  const { signal } = options;
  // Named after the command connection, so CLIENT LIST tells whose tail it is.
  const owner = connections.command.options.connectionName || CONNECTION_NAME;
  const reader = connections.reader(`${owner}:tail:${stream.name}`);
  let readerId: number | undefined;
  const stop = () => {
    // The clean way out is CLIENT UNBLOCK (the read returns nil); without a ready command
    // connection to send it on, the reader is dropped and its read fails.
    if (readerId !== undefined && connections.command.status === 'ready') {
      connections.command.client('UNBLOCK', readerId).catch(() => undefined);
    } else {
      connections.release(reader, true);
    }
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    readerId = (await reader.client('ID')) as number;
    let lastId = from === '$' ? await lastEntryId(connections.command, stream.key) : from;
    while (!signal?.aborted) {
      const reply = (await reader.xread(
        'COUNT',
        READ_COUNT,
        'BLOCK',
        options.blockMs ?? 1000,
        'STREAMS',
        stream.key,
        lastId,
      )) as [key: string, entries: [id: string, fields: string[]][]][] | null;
      for (const [entryId, fields] of reply?.[0]?.[1] ?? []) {
        lastId = entryId;
        yield {
          entryId,
          fields: fieldsToRecord(fields),
          decoded: decodeEntry(fields, maxEntryBytes),
        };
        if (signal?.aborted) return;
      }
    }
  } catch (error) {
    if (signal?.aborted) return;
    throw readError(error, `tail of stream "${stream.name}"`, connections.label);
  } finally {
    signal?.removeEventListener('abort', stop);
    connections.release(reader);
  }
}

/** The id of the stream's newest entry, `0-0` when it is empty or missing. */
async function lastEntryId(client: Redis, key: string): Promise<string> {
  const [last] = (await client.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
  return last?.[0] ?? '0-0';
}
