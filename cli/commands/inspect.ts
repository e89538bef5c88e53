/**
 * `schemabus inspect --redis URL`: per stream of the catalogue, its length
 * and DLQ size; per group, its consumers, pending entries, lag and whether
 * it holds the stream past its retention. Exit 1 when something needs a
 * look: dead letters, a group lagging past retention, a stream or group
 * missing on Redis.
 */
import type { BusInspection, Catalog, GroupInspection, StreamInspection } from 'schemabus';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_FINDING,
  EXIT_OK,
  result,
} from '../command.js';
import {
  type RedisSession,
  type RedisTargetOptions,
  redisArgs,
  withRedisSession,
} from '../support/redis-session.js';
import { formatDuration, formatTable, jsonText, plural } from '../support/table.js';

/** Options of `inspect`. */
export interface InspectOptions extends RedisTargetOptions {
  /** Print the inspection as JSON. */
  readonly json?: boolean | undefined;
}

/** One stream as `inspect` reports it: what Redis says plus the catalogue's groups missing there. */
export interface StreamReport extends StreamInspection {
  readonly missingGroups: readonly string[];
}

/** Something that needs a look, and what to do about it. */
export interface InspectFinding {
  readonly stream: string;
  readonly group?: string;
  readonly message: string;
}

/** Inspects every stream of the catalogue on Redis. */
export function runInspect(
  options: InspectOptions,
  context: CommandContext,
): Promise<CommandResult> {
  return withRedisSession(options, context, async (session) => {
    const inspection = await session.bus.inspect();
    const streams = withMissingGroups(session.catalog, inspection);
    const findings = findingsOf(streams);
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
    return result(exitCode, formatInspection(session, streams, findings));
  });
}

function withMissingGroups(catalog: Catalog, inspection: BusInspection): StreamReport[] {
  return inspection.streams.map((stream) => {
    const present = new Set(stream.groups.map((g) => g.name));
    const expected = Object.keys(catalog.streams[stream.name]?.groups ?? {});
    return { ...stream, missingGroups: expected.filter((g) => !present.has(g)).sort() };
  });
}

function findingsOf(streams: readonly StreamReport[]): InspectFinding[] {
  const findings: InspectFinding[] = [];
  for (const stream of streams) {
    if (stream.dlqLength > 0) {
      findings.push({
        stream: stream.name,
        message: `${plural(stream.dlqLength, 'dead letter')} in ${stream.name}: see \`schemabus dlq list ${stream.name}\``,
      });
    }
    for (const group of stream.missingGroups) {
      findings.push({
        stream: stream.name,
        group,
        message: `group ${group} of ${stream.name} does not exist on Redis: run \`schemabus bootstrap\``,
      });
    }
    for (const group of stream.groups.filter((g) => g.laggingPastRetention)) {
      findings.push({
        stream: stream.name,
        group: group.name,
        message: `group ${group.name} holds ${stream.name} past its retention (unacked or unread entries): start or fix its consumers, or delete the group if it is gone for good`,
      });
    }
  }
  return findings;
}

const COLUMNS = [
  { header: 'STREAM' },
  { header: 'LENGTH', right: true },
  { header: 'DLQ', right: true },
  { header: 'GROUP' },
  { header: 'CONSUMERS', right: true },
  { header: 'PENDING', right: true },
  { header: 'LAG', right: true },
  { header: 'RETENTION' },
];

function formatInspection(
  session: RedisSession,
  streams: readonly StreamReport[],
  findings: readonly InspectFinding[],
): string[] {
  const rows: string[][] = [];
  for (const stream of streams) {
    const head = [stream.name, String(stream.length), String(stream.dlqLength)];
    const blank = ['', '', ''];
    let first = true;
    const next = () => {
      const cells = first ? head : blank;
      first = false;
      return cells;
    };
    for (const group of stream.groups) {
      rows.push([...next(), ...groupCells(group)]);
      for (const consumer of group.consumers) {
        const idle = formatDuration(consumer.idleMs);
        rows.push([
          ...blank,
          `  ${consumer.name}`,
          '',
          String(consumer.pending),
          '',
          `idle ${idle}`,
        ]);
      }
    }
    for (const group of stream.missingGroups) {
      rows.push([...next(), group, '-', '-', '-', 'missing: run schemabus bootstrap']);
    }
    if (first) rows.push([...head, '(no groups)']);
  }
  const summary =
    findings.length === 0
      ? ['nothing needs a look']
      : [`${plural(findings.length, 'finding')}:`, ...findings.map((f) => `  - ${f.message}`)];
  return [
    `Redis at ${session.label}, namespace ${session.catalog.namespace} (${session.schemaPath})`,
    '',
    ...formatTable(COLUMNS, rows),
    '',
    ...summary,
  ];
}

function groupCells(group: GroupInspection): string[] {
  return [
    group.name,
    String(group.consumers.length),
    String(group.pending),
    group.lag === null ? '?' : String(group.lag),
    group.laggingPastRetention ? 'LAGGING past retention' : 'ok',
  ];
}

/** The yargs command. */
export const inspectCommand = defineCommand({
  command: 'inspect',
  describe: 'Show streams, groups, consumers, pending, lag and DLQ sizes',
  builder: (yargs) =>
    redisArgs(yargs)
      .option('json', { type: 'boolean', default: false, describe: 'Print the inspection as JSON' })
      .example(
        '$0 inspect --redis redis://127.0.0.1:6379',
        'one row per group, its consumers below it',
      )
      .epilogue(
        'Exit 1 when something needs a look: dead letters, a group lagging past retention, a missing group.',
      ),
  run: (args, context) => runInspect(args, context),
});
