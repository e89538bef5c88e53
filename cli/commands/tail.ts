/**
 * `schemabus tail STREAM... --redis URL` (or `--all`): `bus.tail()` on each
 * stream, one decoded envelope per line as entries arrive, optionally only
 * of some event types (`--type`, repeatable). It reads with XREAD only —
 * never XREADGROUP, never XACK, no group — so it changes nothing any
 * consumer sees. Stops after `--count` entries or on SIGINT.
 */
import type { Catalog, CatalogStream, TailEntry } from 'schemabus';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_OK,
  usageError,
} from '../command.js';
import { withLiveIo } from '../support/live-io.js';
import { mergeAsync } from '../support/merge-async.js';
import {
  findStream,
  isResult,
  type RedisTargetOptions,
  redisArgs,
  withRedisSession,
} from '../support/redis-session.js';
import { plural } from '../support/table.js';

/** Options of `tail`. */
export interface TailCommandOptions extends RedisTargetOptions {
  /** Streams to follow (catalogue names). */
  readonly streams?: readonly string[] | undefined;
  /** Follow every stream of the catalogue. */
  readonly all?: boolean | undefined;
  /** Only entries of these event types. @default every type */
  readonly type?: readonly string[] | undefined;
  /** `$` (new entries only), `0` (the whole stream) or an entry id (entries after it). @default '$' */
  readonly from?: string | undefined;
  /** Stop after this many entries. @default no limit */
  readonly count?: number | undefined;
  /** One JSON object per line. */
  readonly json?: boolean | undefined;
}

/** One entry of a followed stream. */
interface Followed {
  readonly stream: CatalogStream;
  readonly entry: TailEntry;
}

/**
 * Follows the streams until `count` entries were printed or the user stops
 * it (`context.live.signal`). Lines go to `context.live` as they arrive;
 * without it they are collected into the result's stdout.
 */
export function runTail(
  options: TailCommandOptions,
  context: CommandContext,
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
    const streams = streamsOf(session.catalog, options);
    if (isResult(streams)) return streams;
    const types = typesOf(streams, options.type ?? []);
    if (isResult(types)) return types;
    const collected: string[] = [];
    const write = context.live?.out ?? ((line: string) => void collected.push(line));
    // Stops every tail: on the user's signal, or once --count lines were printed.
    const stop = new AbortController();
    const signal = context.live ? AbortSignal.any([context.live.signal, stop.signal]) : stop.signal;
    const tails = streams.map((stream) =>
      followed(session.bus.tail(stream.name, { from, signal }), stream),
    );
    let printed = 0;
    for await (const { stream, entry } of mergeAsync(tails, () => stop.abort())) {
      if (types.size > 0 && !types.has(typeOf(entry))) continue;
      const line = formatEntry(entry, options.json === true, stream.name);
      write(`${streams.length > 1 && !options.json ? `${stream.name}  ` : ''}${line}\n`);
      printed++;
      if (options.count !== undefined && printed >= options.count) break;
    }
    const where =
      streams.length === 1
        ? `${streams[0]!.name} (${streams[0]!.key})`
        : `${streams.length} streams (${streams.map((s) => s.name).join(', ')})`;
    const only = types.size > 0 ? ` of type ${[...types].join(', ')}` : '';
    const summary = `tail: ${plural(printed, 'entry', 'entries')}${only} of ${where}, read-only: no group, nothing acked`;
    return { exitCode: EXIT_OK, stdout: collected.join(''), stderr: `${summary}\n` };
  });
}

async function* followed(
  entries: AsyncGenerator<TailEntry, void, undefined>,
  stream: CatalogStream,
): AsyncGenerator<Followed, void, undefined> {
  for await (const entry of entries) yield { stream, entry };
}

/** The streams named (or every one with `--all`), or a usage error. */
function streamsOf(catalog: Catalog, options: TailCommandOptions): CatalogStream[] | CommandResult {
  const names = options.streams ?? [];
  const all = Object.keys(catalog.streams).sort();
  if (options.all && names.length > 0) {
    return usageError('give stream names or --all, not both');
  }
  if (!options.all && names.length === 0) {
    return usageError(`name the streams to follow, or --all; streams: ${all.join(', ')}`);
  }
  const found: CatalogStream[] = [];
  for (const name of options.all ? all : [...new Set(names)]) {
    const stream = findStream(catalog, name);
    if (isResult(stream)) return stream;
    found.push(stream);
  }
  return found;
}

/** The `--type` filter, or a usage error naming the types the streams carry. */
function typesOf(
  streams: readonly CatalogStream[],
  given: readonly string[],
): Set<string> | CommandResult {
  const carried = new Set(streams.flatMap((s) => s.events));
  const unknown = given.filter((type) => !carried.has(type));
  if (unknown.length > 0) {
    return usageError(
      `no event type ${unknown.map((t) => `"${t}"`).join(', ')} on ${streams.map((s) => s.name).join(', ')}; its types: ${[...carried].sort().join(', ')}`,
    );
  }
  return new Set(given);
}

/** The entry's event type: the envelope's, or the stored `type` field of an undecodable one. */
function typeOf({ decoded, fields }: TailEntry): string {
  return decoded.ok ? decoded.envelope.type : String(fields.type ?? '');
}

/** One line for an entry: readable, or JSON (with its stream). */
export function formatEntry(
  { entryId, fields, decoded, partition }: TailEntry,
  json: boolean,
  stream?: string,
): string {
  if (json) {
    const where = {
      ...(stream === undefined ? {} : { stream }),
      ...(partition === undefined ? {} : { partition }),
    };
    return JSON.stringify(
      decoded.ok
        ? { ...where, entryId, envelope: decoded.envelope }
        : { ...where, entryId, error: decoded.reason, fields },
    );
  }
  if (!decoded.ok) return `${entryId}  UNDECODABLE (${decoded.reason})  ${JSON.stringify(fields)}`;
  const e = decoded.envelope;
  const extra = [
    partition !== undefined && `partition=${partition}`,
    e.subject !== undefined && `subject=${e.subject}`,
    e.correlationid !== undefined && `correlation=${e.correlationid}`,
    e.replayfor !== undefined && `replayfor=${e.replayfor}`,
  ].filter(Boolean);
  return [entryId, e.time, e.type, e.id, ...extra, JSON.stringify(e.data)].join('  ');
}

/** The yargs command: lines go to stdout as they arrive; Ctrl-C stops. */
export const tailCommand = defineCommand({
  command: 'tail [streams..]',
  describe: 'Follow streams read-only (never acks), one event per line',
  builder: (yargs) =>
    redisArgs(yargs)
      .positional('streams', {
        type: 'string',
        array: true,
        describe: 'Stream names, as in the catalogue',
      })
      .option('all', { type: 'boolean', default: false, describe: 'Follow every stream' })
      .option('type', {
        type: 'string',
        array: true,
        nargs: 1,
        describe: 'Only events of this type (repeatable)',
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
        '$0 tail --all --type campaign.created --type timer.fired',
        'two types, every stream',
      )
      .example(
        '$0 tail campaign-events --from 0 --count 10 --json',
        'the first 10 entries as JSON',
      ),
  run: (args, context) =>
    withLiveIo(context, (live) =>
      runTail({ ...args, streams: args.streams?.map(String), type: args.type?.map(String) }, live),
    ),
});
