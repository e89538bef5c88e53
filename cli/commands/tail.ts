/**
 * `schemabus tail STREAM --redis URL`: follows a stream read-only, one
 * decoded envelope per line. It uses XREAD BLOCK only — never XREADGROUP,
 * never XACK, no group — so it changes nothing any consumer sees. Stops
 * after `--count` entries or on SIGINT.
 */
import type { Redis } from 'ioredis';
import { decodeEntry } from 'schemabus';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_OK,
  usageError,
} from '../command.js';
import {
  findStream,
  isResult,
  type RedisTargetOptions,
  redisArgs,
  withRedisSession,
} from '../support/redis-session.js';
import { plural } from '../support/table.js';

/** How long one XREAD blocks before the stop signal is looked at again. */
const BLOCK_MS = 1000;
/** Entries fetched per XREAD at most. */
const READ_COUNT = 100;

/** Options of `tail`. */
export interface TailOptions extends RedisTargetOptions {
  readonly stream: string;
  /** `$` (new entries only), `0` (the whole stream) or an entry id (entries after it). @default '$' */
  readonly from?: string;
  /** Stop after this many entries. @default no limit */
  readonly count?: number;
  /** One JSON object per line. */
  readonly json?: boolean;
}

/** Where `tail` writes while it runs, and what stops it. */
export interface TailIo {
  /** Gets each line as it arrives (the result's stdout then stays empty). @default collected into stdout */
  readonly write?: (line: string) => void;
  /** Aborted to stop following (the CLI aborts it on SIGINT). */
  readonly signal?: AbortSignal;
}

type XreadReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/** Follows `options.stream` until `count` entries were printed or `io.signal` aborts. */
export function runTail(
  options: TailOptions,
  context: CommandContext,
  io: TailIo = {},
): Promise<CommandResult> {
  const from = options.from ?? '$';
  if (from !== '$' && !/^\d+(-\d+)?$/.test(from)) {
    return Promise.resolve(
      usageError(`--from must be $, 0 or an entry id like 1718000000000-0, got "${from}"`),
    );
  }
  if (options.count !== undefined && !(Number.isInteger(options.count) && options.count > 0)) {
    return Promise.resolve(usageError(`--count must be a positive integer, got ${options.count}`));
  }
  return withRedisSession(options, context, async (session) => {
    const stream = findStream(session.catalog, options.stream);
    if (isResult(stream)) return stream;
    const collected: string[] = [];
    const write = io.write ?? ((line: string) => collected.push(line));
    const reader = session.client.duplicate({
      lazyConnect: false,
      enableOfflineQueue: true,
      connectionName: 'schemabus-cli:tail',
    });
    reader.on('error', () => {});
    // Stopping unblocks the reader's XREAD from the other connection (it then returns nil),
    // so both connections close cleanly instead of waiting on a half-closed socket.
    let readerId: number | undefined;
    const stop = () => {
      if (readerId !== undefined) session.client.client('UNBLOCK', readerId).catch(() => undefined);
    };
    io.signal?.addEventListener('abort', stop, { once: true });
    let printed = 0;
    try {
      readerId = await reader.client('ID');
      let lastId = from === '$' ? await lastEntryId(session.client, stream.key) : from;
      while (!io.signal?.aborted && (options.count === undefined || printed < options.count)) {
        const want = Math.min(READ_COUNT, (options.count ?? Number.POSITIVE_INFINITY) - printed);
        const reply = (await reader.xread(
          'COUNT',
          want,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          stream.key,
          lastId,
        )) as XreadReply;
        for (const [id, fields] of reply?.[0]?.[1] ?? []) {
          write(`${formatEntry(id, fields, options.json === true)}\n`);
          lastId = id;
          printed++;
        }
      }
    } finally {
      io.signal?.removeEventListener('abort', stop);
      await reader.quit().catch(() => reader.disconnect());
    }
    const summary = `tail: ${plural(printed, 'entry', 'entries')} of ${stream.name} (${stream.key}), read-only: no group, nothing acked`;
    return { exitCode: EXIT_OK, stdout: collected.join(''), stderr: `${summary}\n` };
  });
}

/** The id of the stream's newest entry, `0-0` when it is empty or missing. */
async function lastEntryId(client: Redis, key: string): Promise<string> {
  const [last] = (await client.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
  return last?.[0] ?? '0-0';
}

/** One line for an entry: readable, or JSON. */
export function formatEntry(id: string, fields: string[], json: boolean): string {
  const decoded = decodeEntry(fields);
  if (json) {
    return JSON.stringify(
      decoded.ok
        ? { entryId: id, envelope: decoded.envelope }
        : { entryId: id, error: decoded.reason, fields: Object.fromEntries(pairs(fields)) },
    );
  }
  if (!decoded.ok) {
    return `${id}  UNDECODABLE (${decoded.reason})  ${JSON.stringify(Object.fromEntries(pairs(fields)))}`;
  }
  const e = decoded.envelope;
  const extra = [
    e.subject !== undefined && `subject=${e.subject}`,
    e.correlationid !== undefined && `correlation=${e.correlationid}`,
    e.replayfor !== undefined && `replayfor=${e.replayfor}`,
  ].filter(Boolean);
  return [id, e.time, e.type, e.id, ...extra, JSON.stringify(e.data)].join('  ');
}

function pairs(fields: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) out.push([fields[i]!, fields[i + 1]!]);
  return out;
}

/** SIGINT as an AbortSignal, while the command runs. */
function sigintSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/** The yargs command: lines go to stdout as they arrive; Ctrl-C stops. */
export const tailCommand = defineCommand({
  command: 'tail <stream>',
  describe: 'Follow a stream read-only (never acks), one event per line',
  builder: (yargs) =>
    redisArgs(yargs)
      .positional('stream', {
        type: 'string',
        demandOption: true,
        describe: 'Stream name, as in the catalogue',
      })
      .option('from', {
        type: 'string',
        default: '$',
        describe: '$ new entries only, 0 the whole stream, or an entry id (entries after it)',
      })
      .option('count', { type: 'number', describe: 'Stop after this many entries' })
      .option('json', { type: 'boolean', default: false, describe: 'One JSON object per line' })
      .example(
        '$0 tail campaign-events --redis redis://127.0.0.1:6379',
        'follow new events; Ctrl-C stops',
      )
      .example(
        '$0 tail campaign-events --from 0 --count 10 --json',
        'the first 10 entries as JSON',
      ),
  run: async (args, context) => {
    const sigint = sigintSignal();
    try {
      return await runTail({ ...args, stream: String(args.stream) }, context, {
        write: (line) => process.stdout.write(line),
        signal: sigint.signal,
      });
    } finally {
      sigint.dispose();
    }
  },
});
