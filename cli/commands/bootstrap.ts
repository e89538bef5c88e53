/**
 * `schemabus bootstrap --redis URL`: `bus.bootstrap()` on Redis (every
 * stream and consumer group of the catalogue, idempotent), and its report:
 * what it created, what was there already, which groups Redis has that the
 * catalogue does not list.
 */
import type { StreamBootstrap } from 'schemabus';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_OK,
  result,
} from '../command.js';
import { withLiveIo } from '../support/live-io.js';
import { whileRunning } from '../support/progress.js';
import {
  type RedisSession,
  type RedisTargetOptions,
  redisArgs,
  withRedisSession,
} from '../support/redis-session.js';
import { jsonText, plural } from '../support/table.js';

/** Options of `bootstrap`. */
export interface BootstrapOptions extends RedisTargetOptions {
  /** Print the report as JSON. */
  readonly json?: boolean | undefined;
}

/** Creates the catalogue's streams and groups on Redis and reports them. */
export function runBootstrap(
  options: BootstrapOptions,
  context: CommandContext,
): Promise<CommandResult> {
  return withRedisSession(options, context, async (session) => {
    const groups = Object.values(session.catalog.streams).flatMap((s) => Object.keys(s.groups));
    const label = `bootstrap of ${plural(Object.keys(session.catalog.streams).length, 'stream')} and ${plural(groups.length, 'group')}`;
    const { streams } = await whileRunning(context, label, options.json === true, () =>
      session.bus.bootstrap(),
    );
    if (options.json) {
      return {
        exitCode: EXIT_OK,
        stdout: jsonText({ redis: session.label, namespace: session.catalog.namespace, streams }),
        stderr: '',
      };
    }
    return result(EXIT_OK, formatReport(session, streams));
  });
}

const STREAM_STATUS: Record<StreamBootstrap['status'], string> = {
  created: 'created',
  found: 'already there',
  absent: 'not there yet (no groups: the first publish creates it)',
};

/** The stream's key, or a partitioned stream's partition keys, first to last. */
function keysOf(stream: StreamBootstrap): string {
  const partitions = stream.partitions ?? [];
  if (partitions.length === 0) return stream.key;
  const created = partitions.filter((p) => p.status === 'created').length;
  const fresh = created > 0 && created < partitions.length ? `, ${created} created now` : '';
  return `${partitions.length} partitions ${partitions[0]!.key} .. ${partitions.at(-1)!.key}${fresh}`;
}

function formatReport(session: RedisSession, streams: readonly StreamBootstrap[]): string[] {
  const lines = [
    `Redis at ${session.label}, catalogue ${session.schemaPath} (namespace ${session.catalog.namespace})`,
  ];
  for (const stream of streams) {
    lines.push(`stream ${stream.name} (${keysOf(stream)}): ${STREAM_STATUS[stream.status]}`);
    for (const group of stream.groups) {
      const from =
        group.startFrom === 'earliest'
          ? 'reads the stream from its start'
          : 'reads new entries only';
      lines.push(
        group.status === 'created'
          ? `  group ${group.name}: created, ${from} (startFrom ${group.startFrom})`
          : `  group ${group.name}: already there (left as it is)`,
      );
    }
    for (const name of stream.unknownGroups) {
      lines.push(`  group ${name}: on Redis but not in the catalogue (left alone)`);
    }
    for (const warning of stream.warnings ?? []) lines.push(`  warning: ${warning}`);
  }
  const count = (status: 'created' | 'found') => ({
    streams: streams.filter((s) => s.status === status).length,
    groups: streams.flatMap((s) => s.groups).filter((g) => g.status === status).length,
  });
  const created = count('created');
  const found = count('found');
  lines.push(
    `bootstrap done: created ${plural(created.streams, 'stream')} and ${plural(created.groups, 'group')}; ` +
      `${plural(found.streams, 'stream')} and ${plural(found.groups, 'group')} were there already`,
  );
  return lines;
}

/** The yargs command. */
export const bootstrapCommand = defineCommand({
  command: 'bootstrap',
  describe: "Create the catalogue's streams and groups on Redis (idempotent)",
  builder: (yargs) =>
    redisArgs(yargs)
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
      .example(
        '$0 bootstrap --redis redis://127.0.0.1:6379',
        'create what is missing, list what was there',
      )
      .example(
        '$0 bootstrap --redis redis+cluster://10.0.0.1:7000,10.0.0.2:7000',
        'the same on a Redis Cluster (the hosts are seeds)',
      )
      .epilogue(
        'A new group starts at the end of its stream, or at its start with startFrom: earliest.',
      ),
  run: (args, context) => withLiveIo(context, (live) => runBootstrap(args, live), false),
});
