/**
 * `schemabus check`: validates the catalogue, reporting every issue with
 * its location; with `--against`, lists the breaking changes from an older
 * version of it.
 */
import type { CatalogModel } from '../../generator/catalog/index.js';
import { findBreakingChanges } from '../../generator/compat/breaking-changes.js';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_FINDING,
  EXIT_OK,
  EXIT_USAGE,
  result,
  usageError,
} from '../command.js';
import {
  DEFAULT_SCHEMA,
  formatIssues,
  formatWarnings,
  readCatalogFile,
} from '../support/catalog-file.js';

/** Options of `check`. */
export interface CheckOptions {
  /** The catalogue. @default `events.schema.yaml` */
  readonly schema?: string | undefined;
  /** Print the report as JSON on stdout. */
  readonly json?: boolean | undefined;
  /** An older version of the catalogue to compare against. */
  readonly against?: string | undefined;
}

/** Checks the catalogue (and, with `against`, its compatibility with an older version). */
export async function runCheck(
  options: CheckOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const catalog = await readCatalogFile(context.cwd, options.schema ?? DEFAULT_SCHEMA);
  if (catalog.kind === 'unreadable') return usageError(catalog.message);
  if (catalog.kind === 'invalid') {
    if (options.json) {
      return jsonResult(EXIT_FINDING, {
        ok: false,
        file: catalog.path,
        issues: catalog.issues,
        warnings: [],
      });
    }
    return result(EXIT_FINDING, formatIssues(catalog.path, catalog.issues));
  }
  const { model, warnings } = catalog;
  if (options.against === undefined) {
    if (options.json) {
      return jsonResult(EXIT_OK, {
        ok: true,
        file: catalog.path,
        issues: [],
        warnings,
        summary: summarize(model),
      });
    }
    return result(
      EXIT_OK,
      [`${catalog.path} is valid: ${describe(model)}.`],
      formatWarnings(warnings),
    );
  }
  const baseline = await readCatalogFile(context.cwd, options.against);
  if (baseline.kind === 'unreadable') return usageError(baseline.message);
  if (baseline.kind === 'invalid') {
    return result(
      EXIT_USAGE,
      [],
      [
        ...formatIssues(baseline.path, baseline.issues),
        `cannot compare against ${baseline.path}: it is not a valid catalogue`,
      ],
    );
  }
  const breaking = findBreakingChanges(baseline.model, model);
  const exitCode = breaking.length === 0 ? EXIT_OK : EXIT_FINDING;
  if (options.json) {
    return jsonResult(exitCode, {
      ok: breaking.length === 0,
      file: catalog.path,
      against: baseline.path,
      issues: [],
      warnings,
      breaking,
    });
  }
  if (breaking.length === 0) {
    return result(
      EXIT_OK,
      [`${catalog.path} is valid and has no breaking change from ${baseline.path}.`],
      formatWarnings(warnings),
    );
  }
  const noun = breaking.length === 1 ? 'breaking change' : 'breaking changes';
  return result(
    EXIT_FINDING,
    [
      ...breaking.map((change) => `${catalog.path} ${change.path}: ${change.message}`),
      `${breaking.length} ${noun} from ${baseline.path}: version the event (a new type name) or migrate every producer and consumer together.`,
    ],
    formatWarnings(warnings),
  );
}

/** What the catalogue holds, counted (`partitions`: the partition keys of its partitioned streams, when it has any). */
export function summarize(model: CatalogModel): Record<string, number> {
  const streams = Object.values(model.catalog.streams);
  const partitions = streams.reduce((sum, stream) => sum + (stream.partitions?.count ?? 0), 0);
  return {
    events: model.events.length,
    streams: streams.length,
    groups: streams.reduce((sum, stream) => sum + Object.keys(stream.groups).length, 0),
    channels: model.channels.length,
    types: model.types.length,
    ...(partitions > 0 ? { partitions } : {}),
  };
}

function describe(model: CatalogModel): string {
  const text = Object.entries(summarize(model))
    .filter(([what]) => what !== 'partitions')
    .map(([what, count]) => `${count} ${count === 1 ? what.slice(0, -1) : what}`)
    .join(', ');
  const partitioned = Object.values(model.catalog.streams)
    .filter((s) => s.partitions !== undefined)
    .map((s) => `${s.name}: ${s.partitions!.count} partitions by ${s.partitions!.key}`);
  return partitioned.length === 0 ? text : `${text} (${partitioned.join('; ')})`;
}

function jsonResult(exitCode: typeof EXIT_OK | typeof EXIT_FINDING, report: object): CommandResult {
  return { exitCode, stdout: `${JSON.stringify(report, null, 2)}\n`, stderr: '' };
}

/** The yargs command. */
export const checkCommand = defineCommand({
  command: 'check',
  describe: 'Validate the catalogue (with --against: list breaking changes)',
  builder: (yargs) =>
    yargs
      .option('schema', {
        type: 'string',
        default: DEFAULT_SCHEMA,
        describe: 'The event catalogue (YAML)',
      })
      .option('against', {
        type: 'string',
        describe: 'An older version of the catalogue to list breaking changes against',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
      .example('$0 check', 'print every issue as file:line:col path: message')
      .example('$0 check --against base.yaml', 'fail on breaking changes from base.yaml')
      .epilogue('base.yaml: an older version, e.g. from `git show main:events.schema.yaml`.'),
  run: (args, context) => runCheck(args, context),
});
