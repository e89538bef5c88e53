/**
 * `schemabus validate FILE...`: checks event JSON files (an envelope, a
 * stored-format message `{"v":1,"type",...}`, a `{ type, data }`, or an
 * array of those) against the catalogue, strictly
 * as `publish` does, and reports every failing path of every file.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  createEventValidator,
  type EventIssue,
  type EventValidator,
} from '../../generator/validate/event-validator.js';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_FINDING,
  EXIT_OK,
  EXIT_USAGE,
  type ExitCode,
  result,
  usageError,
} from '../command.js';
import {
  DEFAULT_SCHEMA,
  displayPath,
  formatIssues,
  formatWarnings,
  readCatalogFile,
  readFailure,
} from '../support/catalog-file.js';

/** Options of `validate`. */
export interface ValidateOptions {
  /** JSON files to check. */
  readonly files: readonly string[];
  /** The catalogue. @default `events.schema.yaml` */
  readonly schema?: string | undefined;
  /** Print the report as JSON on stdout. */
  readonly json?: boolean | undefined;
}

/** The outcome for one event of a file. */
export interface EventReport {
  /** Position in the file's array; `null` when the file holds one event. */
  readonly index: number | null;
  readonly type?: string;
  readonly issues: readonly EventIssue[];
}

/** The outcome for one file. */
export interface FileReport {
  readonly file: string;
  readonly ok: boolean;
  /** Why the file could not be checked at all (unreadable, not JSON). */
  readonly error?: string;
  readonly events: readonly EventReport[];
}

/** Checks every file; exit 1 when an event is invalid, 2 when a file cannot be read. */
export async function runValidate(
  options: ValidateOptions,
  context: CommandContext,
): Promise<CommandResult> {
  if (options.files.length === 0) return usageError('name at least one JSON file to validate');
  const catalog = await readCatalogFile(context.cwd, options.schema ?? DEFAULT_SCHEMA);
  if (catalog.kind === 'unreadable') return usageError(catalog.message);
  if (catalog.kind === 'invalid') {
    return result(
      EXIT_FINDING,
      [],
      [
        ...formatIssues(catalog.path, catalog.issues),
        'Fix the catalogue first: events cannot be checked against it.',
      ],
    );
  }
  const validator = createEventValidator(catalog.model);
  const reports: FileReport[] = [];
  let exitCode: ExitCode = EXIT_OK;
  for (const file of options.files) {
    const { report, unreadable } = await checkFile(context.cwd, file, validator);
    reports.push(report);
    if (unreadable) exitCode = EXIT_USAGE;
    else if (!report.ok && exitCode === EXIT_OK) exitCode = EXIT_FINDING;
  }
  const warnings = formatWarnings(catalog.warnings);
  if (options.json) {
    const report = { ok: exitCode === EXIT_OK, schema: catalog.path, files: reports };
    return {
      exitCode,
      stdout: `${JSON.stringify(report, null, 2)}\n`,
      stderr: result(0, [], warnings).stderr,
    };
  }
  return result(exitCode, reports.flatMap(formatReport).concat(summary(reports)), warnings);
}

async function checkFile(
  cwd: string,
  file: string,
  validator: EventValidator,
): Promise<{ report: FileReport; unreadable: boolean }> {
  const shown = displayPath(cwd, file);
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    return {
      report: { file: shown, ok: false, error: readFailure(shown, error), events: [] },
      unreadable: true,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      report: { file: shown, ok: false, error: `not valid JSON: ${reason}`, events: [] },
      unreadable: false,
    };
  }
  const items = Array.isArray(value) ? value : [value];
  const events = items.map((item, i): EventReport => {
    const type =
      typeof item === 'object' && item !== null ? (item as { type?: unknown }).type : undefined;
    return {
      index: Array.isArray(value) ? i : null,
      ...(typeof type === 'string' ? { type } : {}),
      issues: validator(item),
    };
  });
  const ok = events.length > 0 && events.every((event) => event.issues.length === 0);
  const error = events.length === 0 ? 'holds an empty array: no event to check' : undefined;
  return {
    report: { file: shown, ok, ...(error === undefined ? {} : { error }), events },
    unreadable: false,
  };
}

function formatReport(report: FileReport): string[] {
  if (report.error !== undefined) return [`FAIL  ${report.file}: ${report.error}`];
  const count = `${report.events.length} ${report.events.length === 1 ? 'event' : 'events'}`;
  if (report.ok) return [`ok    ${report.file} (${count})`];
  const lines = [`FAIL  ${report.file} (${count})`];
  for (const event of report.events) {
    const where = [event.index === null ? '' : `[${event.index}]`, event.type ?? '']
      .filter((s) => s !== '')
      .join(' ');
    for (const issue of event.issues) {
      lines.push(`  ${where === '' ? '' : `${where} `}${issue.path || '/'}: ${issue.message}`);
    }
  }
  return lines;
}

function summary(reports: readonly FileReport[]): string {
  const valid = reports.filter((report) => report.ok).length;
  const files = `${reports.length} ${reports.length === 1 ? 'file' : 'files'}`;
  return `${files}: ${valid} valid, ${reports.length - valid} invalid.`;
}

/** The yargs command. */
export const validateCommand = defineCommand({
  command: 'validate <files..>',
  describe: 'Check event JSON files against the catalogue',
  builder: (yargs) =>
    yargs
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'JSON files to check',
      })
      .option('schema', {
        type: 'string',
        default: DEFAULT_SCHEMA,
        describe: 'The event catalogue (YAML)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
      .example('$0 validate fixtures/*.json', 'exit 1 listing every failing path')
      .epilogue(
        'A file holds a CloudEvents envelope, a stored-format message {"v":1,"type",...}, a { "type", "data" } object, or an array of them.',
      ),
  run: (args, context) => runValidate({ ...args, files: args.files.map(String) }, context),
});
