/**
 * `schemabus inspect --redis URL`: per stream of the catalogue, its length
 * and DLQ size; per group, its consumers (with their idle time), pending
 * entries, the age of the oldest, lag and whether it holds the stream past
 * its retention. Exit 1 when something needs a look: dead letters, a group
 * lagging past retention, a stream or group missing on Redis. With
 * `--watch [SECONDS]` it inspects again and again (cli/support/inspect-watch.ts).
 */
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_FINDING,
  EXIT_OK,
  result,
  usageError,
} from '../command.js';
import { watchInspection } from '../support/inspect-watch.js';
import {
  findingLines,
  findingsOf,
  inspectionTable,
  withMissingGroups,
} from '../support/inspection-report.js';
import { withLiveIo } from '../support/live-io.js';
import { type RedisTargetOptions, redisArgs, withRedisSession } from '../support/redis-session.js';
import { jsonText } from '../support/table.js';

export type { InspectFinding, StreamReport } from '../support/inspection-report.js';

/** Seconds between two inspections of `--watch` given without a number. */
export const DEFAULT_WATCH_SECONDS = 2;

/** Options of `inspect`. */
export interface InspectOptions extends RedisTargetOptions {
  /** Print the inspection as JSON (with `watch`: one document per line). */
  readonly json?: boolean | undefined;
  /** Inspect again every this many seconds until stopped. */
  readonly watch?: number | undefined;
}

/** Inspects every stream of the catalogue on Redis (again and again with `watch`). */
export function runInspect(
  options: InspectOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const watch = options.watch;
  if (watch !== undefined) {
    if (!(watch >= 0.1)) {
      return Promise.resolve(usageError(`--watch takes seconds (0.1 or more), got ${watch}`));
    }
    return withLiveIo(context, ({ live }) =>
      withRedisSession(options, context, async (session) => {
        await watchInspection(session, watch, options.json === true, live);
        return result(EXIT_OK, []);
      }),
    );
  }
  return withRedisSession(options, context, async (session) => {
    const streams = withMissingGroups(session.catalog, await session.bus.inspect());
    const findings = findingsOf(streams, session.catalog);
    const exitCode = findings.length === 0 ? EXIT_OK : EXIT_FINDING;
    if (options.json) {
      const report = {
        redis: session.label,
        namespace: session.catalog.namespace,
        streams,
        findings,
      };
      return { exitCode, stdout: jsonText(report), stderr: '' };
    }
    return result(exitCode, [
      `Redis at ${session.label}, namespace ${session.catalog.namespace} (${session.schemaPath})`,
      '',
      ...inspectionTable(streams),
      '',
      ...findingLines(findings),
    ]);
  });
}

/** The yargs command. */
export const inspectCommand = defineCommand({
  command: 'inspect',
  describe: 'Show streams, groups, consumers, pending, lag and DLQ sizes',
  builder: (yargs) =>
    redisArgs(yargs)
      .option('json', { type: 'boolean', default: false, describe: 'Print the inspection as JSON' })
      .option('watch', {
        type: 'string',
        describe: `Inspect again every SECONDS (${DEFAULT_WATCH_SECONDS} when not given) with rates, until Ctrl-C`,
        coerce: (value: string) => (value === '' ? DEFAULT_WATCH_SECONDS : Number(value)),
      })
      .example(
        '$0 inspect --redis redis://127.0.0.1:6379',
        'one row per group, its consumers below it',
      )
      .example('$0 inspect --watch 5', 'redraw every 5 s with entries/s and acks/s')
      .epilogue(
        'Exit 1 when something needs a look: dead letters, a group lagging past retention, a missing group.',
      ),
  run: (args, context) => runInspect({ ...args, watch: args.watch as number | undefined }, context),
});
