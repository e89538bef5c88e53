/**
 * `schemabus dlq list|show|replay|purge STREAM --redis URL`: works a
 * stream's dead-letter queue through `bus.dlq(stream)`. Filters: `--group`,
 * `--type`, `--reason`, `--id` (repeatable). A replay appends the event
 * again for the failing group only; a purge deletes for good and needs
 * `--yes`.
 */
import type { CatalogStream, DeadLetterFilter } from 'schemabus';
import { dlqKeysOf } from '../../generator/catalog/index.js';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_FINDING,
  EXIT_OK,
  result,
  usageError,
} from '../command.js';
import {
  describeFilter,
  type FilterOptions,
  filterOf,
  matching,
  REASONS,
  unmatchedIds,
} from '../support/dead-letter-filter.js';
import { describeDlqKeys, missingIdNotes } from '../support/dead-letter-keys.js';
import { formatDeadLetter, formatDeadLetterTable } from '../support/dead-letter-text.js';
import { withLiveIo } from '../support/live-io.js';
import { progressLine, whileRunning } from '../support/progress.js';
import {
  findStream,
  isResult,
  type RedisSession,
  type RedisTargetOptions,
  redisArgs,
  withRedisSession,
} from '../support/redis-session.js';
import { jsonText, plural } from '../support/table.js';

/** What `dlq` does. */
export const DLQ_ACTIONS = ['list', 'show', 'replay', 'purge'] as const;
/** One of {@link DLQ_ACTIONS}. */
export type DlqAction = (typeof DLQ_ACTIONS)[number];

/** Dead letters `list` and `show` print at most. @default 100 */
export const DEFAULT_DLQ_COUNT = 100;

/** Options of `dlq`. */
export interface DlqOptions extends RedisTargetOptions, FilterOptions {
  readonly action: DlqAction;
  readonly stream: string;
  /** `list`/`show`: at most this many. @default DEFAULT_DLQ_COUNT */
  readonly count?: number | undefined;
  readonly json?: boolean | undefined;
  /** `purge`: really delete. */
  readonly yes?: boolean | undefined;
}

/** Runs one `dlq` action on `options.stream`. */
export function runDlq(options: DlqOptions, context: CommandContext): Promise<CommandResult> {
  return withRedisSession(options, context, async (session) => {
    const stream = findStream(session.catalog, options.stream);
    if (isResult(stream)) return stream;
    const filter = filterOf(options, stream);
    if (isResult(filter)) return filter;
    switch (options.action) {
      case 'list':
      case 'show':
        return list(session, stream, filter, options);
      case 'replay':
        return replay(session, stream, filter, options, context);
      case 'purge':
        return purge(session, stream, filter, options, context);
    }
  });
}

async function list(
  session: RedisSession,
  stream: CatalogStream,
  filter: DeadLetterFilter,
  options: DlqOptions,
): Promise<CommandResult> {
  const limit = options.count ?? DEFAULT_DLQ_COUNT;
  if (!(Number.isInteger(limit) && limit > 0))
    return usageError(`--count must be a positive integer, got ${limit}`);
  const dlq = session.bus.dlq(stream.name);
  const [total, page] = await Promise.all([dlq.count(), dlq.list({ ...filter, count: limit + 1 })]);
  const letters = page.slice(0, limit);
  const more = page.length > limit;
  const missing = unmatchedIds(filter, letters);
  const exitCode =
    options.action === 'show' && (letters.length === 0 || missing.length > 0)
      ? EXIT_FINDING
      : EXIT_OK;
  if (options.json) {
    const report = {
      stream: stream.name,
      // A partitioned stream has no DLQ at its base key: one per partition.
      ...(stream.partitions === undefined
        ? { dlqKey: stream.dlqKey }
        : { dlqKeys: dlqKeysOf(stream) }),
      total,
      more,
      deadLetters: letters,
      missingIds: missing,
    };
    return { exitCode, stdout: jsonText(report), stderr: '' };
  }
  const matched =
    describeFilter(filter) === ''
      ? ''
      : `, ${letters.length}${more ? '+' : ''}${describeFilter(filter)}`;
  const head = `DLQ of ${stream.name} (${describeDlqKeys(stream)}): ${plural(total, 'dead letter')} in all${matched}`;
  const body =
    options.action === 'list'
      ? letters.length > 0
        ? ['', ...formatDeadLetterTable(letters)]
        : []
      : letters.flatMap((letter) => ['', ...formatDeadLetter(letter)]);
  const tail = more ? [`(showing the first ${limit}: --count N shows more)`] : [];
  return result(exitCode, [head, ...body, ...tail], await missingIdNotes(session, stream, missing));
}

async function replay(
  session: RedisSession,
  stream: CatalogStream,
  filter: DeadLetterFilter,
  options: DlqOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const letters = await matching(session, stream, filter);
  const progress = progressLine(context, `replaying ${stream.name}`, options.json === true);
  const missing = unmatchedIds(filter, letters);
  const dlq = session.bus.dlq(stream.name);
  const replayed: {
    dlqId: string;
    group: string;
    type: string | undefined;
    entryId: string | undefined;
  }[] = [];
  progress.update(0, letters.length);
  for (const letter of letters) {
    const published = await dlq.replay(letter.id);
    replayed.push({
      dlqId: letter.id,
      group: letter.group,
      type: letter.type,
      entryId: published.entryId,
    });
    progress.update(replayed.length, letters.length);
  }
  progress.end();
  const exitCode = missing.length > 0 ? EXIT_FINDING : EXIT_OK;
  if (options.json) {
    return {
      exitCode,
      stdout: jsonText({ stream: stream.name, replayed, missingIds: missing }),
      stderr: '',
    };
  }
  const lines = replayed.map(
    (r) =>
      `replayed ${r.dlqId} (${r.type ?? 'no type'}) for group ${r.group} as ${stream.name} entry ${r.entryId}`,
  );
  lines.push(
    `${plural(replayed.length, 'dead letter')}${describeFilter(filter)} replayed; only the failing group gets each one again`,
  );
  return result(exitCode, lines, await missingIdNotes(session, stream, missing));
}

async function purge(
  session: RedisSession,
  stream: CatalogStream,
  filter: DeadLetterFilter,
  options: DlqOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const where = describeDlqKeys(stream);
  // Ids asked for that are not there (say, a partitioned stream's id without its p<i>: prefix).
  const letters =
    filter.ids !== undefined || !options.yes ? await matching(session, stream, filter) : [];
  const missing = unmatchedIds(filter, letters);
  const notes = await missingIdNotes(session, stream, missing);
  const exitCode = missing.length > 0 ? EXIT_FINDING : EXIT_OK;
  if (!options.yes) {
    if (letters.length === 0) {
      return result(
        exitCode,
        [`nothing to purge: no dead letter${describeFilter(filter)} in ${where}`],
        notes,
      );
    }
    return usageError(
      `purge would delete ${plural(letters.length, 'dead letter')}${describeFilter(filter)} from ${where} for good; add --yes to delete them (or replay them instead)`,
    );
  }
  const deleted = await whileRunning(
    context,
    `purging the dead letters of ${stream.name}${describeFilter(filter)}`,
    options.json === true,
    () => session.bus.dlq(stream.name).purge(filter),
  );
  if (options.json) {
    return {
      exitCode,
      stdout: jsonText({ stream: stream.name, deleted, missingIds: missing }),
      stderr: '',
    };
  }
  return result(
    exitCode,
    [`deleted ${plural(deleted, 'dead letter')}${describeFilter(filter)} from ${where}`],
    notes,
  );
}

/** The yargs command. */
export const dlqCommand = defineCommand({
  command: 'dlq <action> <stream>',
  describe: 'List, show, replay or purge the dead letters of a stream',
  builder: (yargs) =>
    redisArgs(yargs)
      .positional('action', { choices: DLQ_ACTIONS, demandOption: true, describe: 'What to do' })
      .positional('stream', {
        type: 'string',
        demandOption: true,
        describe: 'Stream name, as in the catalogue',
      })
      .option('group', { type: 'string', describe: 'Only dead letters of this group' })
      .option('type', { type: 'string', describe: 'Only dead letters of this event type' })
      .option('reason', {
        type: 'string',
        choices: REASONS,
        describe: 'Only dead letters with this reason',
      })
      .option('id', {
        type: 'string',
        array: true,
        describe:
          'Only these dead letter ids, as dlq list shows them (repeatable; p<partition>:<id> on a partitioned stream)',
      })
      .option('count', {
        type: 'number',
        default: DEFAULT_DLQ_COUNT,
        describe: 'list/show: at most this many',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' })
      .option('yes', { type: 'boolean', default: false, describe: 'purge: really delete' })
      .example('$0 dlq list campaign-events', 'one row per dead letter')
      .example('$0 dlq show campaign-events --id 1718000000000-0', 'one dead letter in full')
      .example(
        '$0 dlq replay campaign-events --group audit-service',
        'hand them back to their group',
      )
      .example('$0 dlq purge campaign-events --type campaign.deleted --yes', 'delete for good'),
  run: (args, context) =>
    withLiveIo(
      context,
      (live) =>
        runDlq(
          {
            ...args,
            action: args.action as DlqAction,
            stream: String(args.stream),
            ...(args.id !== undefined && { id: args.id.map(String) }),
          },
          live,
        ),
      false,
    ),
});
