/**
 * `schemabus tail STREAM --redis URL`: `bus.tail()`, one decoded envelope
 * per line. It reads with XREAD only — never XREADGROUP, never XACK, no
 * group — so it changes nothing any consumer sees. Stops after `--count`
 * entries or on SIGINT.
 */
import type { TailEntry } from 'schemabus';
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

/** Options of `tail`. */
export interface TailCommandOptions extends RedisTargetOptions {
  readonly stream: string;
  /** `$` (new entries only), `0` (the whole stream) or an entry id (entries after it). @default '$' */
  readonly from?: string | undefined;
  /** Stop after this many entries. @default no limit */
  readonly count?: number | undefined;
  /** One JSON object per line. */
  readonly json?: boolean | undefined;
}

/** Where `tail` writes while it runs, and what stops it. */
export interface TailIo {
  /** Gets each line as it arrives (the result's stdout then stays empty). @default collected into stdout */
  readonly write?: (line: string) => void;
  /** Aborted to stop following (the CLI aborts it on SIGINT). */
  readonly signal?: AbortSignal;
}

/** Follows `options.stream` until `count` entries were printed or `io.signal` aborts. */
export function runTail(
  options: TailCommandOptions,
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
    let printed = 0;
    const entries = session.bus.tail(stream.name, {
      from,
      ...(io.signal !== undefined && { signal: io.signal }),
    });
    for await (const entry of entries) {
      write(`${formatEntry(entry, options.json === true)}\n`);
      printed++;
      if (options.count !== undefined && printed >= options.count) break;
    }
    const summary = `tail: ${plural(printed, 'entry', 'entries')} of ${stream.name} (${stream.key}), read-only: no group, nothing acked`;
    return { exitCode: EXIT_OK, stdout: collected.join(''), stderr: `${summary}\n` };
  });
}

/** One line for an entry: readable, or JSON. */
export function formatEntry({ entryId, fields, decoded }: TailEntry, json: boolean): string {
  if (json) {
    return JSON.stringify(
      decoded.ok
        ? { entryId, envelope: decoded.envelope }
        : { entryId, error: decoded.reason, fields },
    );
  }
  if (!decoded.ok) return `${entryId}  UNDECODABLE (${decoded.reason})  ${JSON.stringify(fields)}`;
  const e = decoded.envelope;
  const extra = [
    e.subject !== undefined && `subject=${e.subject}`,
    e.correlationid !== undefined && `correlation=${e.correlationid}`,
    e.replayfor !== undefined && `replayfor=${e.replayfor}`,
  ].filter(Boolean);
  return [entryId, e.time, e.type, e.id, ...extra, JSON.stringify(e.data)].join('  ');
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
