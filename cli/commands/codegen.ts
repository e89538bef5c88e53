/**
 * `schemabus codegen`: generates the typed API of a catalogue, or with
 * `--check` tells whether the generated files are up to date.
 */
import { resolve } from 'node:path';
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
  DEFAULT_SCHEMA,
  displayPath,
  formatIssues,
  formatWarnings,
  readCatalogFile,
} from '../support/catalog-file.js';
import { diffFiles, formatChanges } from '../support/file-diff.js';
import { applyChanges, readOwnedFiles } from '../support/generated-dir.js';

/** The default output directory, relative to the working directory. */
export const DEFAULT_OUT = 'generated';

/** Options of `codegen`. */
export interface CodegenOptions {
  /** The catalogue. @default `events.schema.yaml` */
  readonly schema?: string | undefined;
  /** The output directory. @default `generated` */
  readonly out?: string | undefined;
  /** Write nothing; exit 1 with a summary of what differs when the output is stale. */
  readonly check?: boolean | undefined;
}

/**
 * Generates every file of the catalogue into the output directory, writing
 * only the files that changed and deleting the generated files that are no
 * longer produced (files codegen did not write are left alone).
 */
export async function runCodegen(
  options: CodegenOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const started = performance.now();
  const catalog = await readCatalogFile(context.cwd, options.schema ?? DEFAULT_SCHEMA);
  if (catalog.kind === 'unreadable') return usageError(catalog.message);
  if (catalog.kind === 'invalid') {
    return result(
      EXIT_FINDING,
      [],
      [...formatIssues(catalog.path, catalog.issues), 'Nothing was generated.'],
    );
  }
  const warnings = formatWarnings(catalog.warnings);
  const outDir = resolve(context.cwd, options.out ?? DEFAULT_OUT);
  const shownOut = displayPath(context.cwd, outDir);
  // Loaded here, not at the top: the emitters bring ts-morph (and the TypeScript
  // compiler), which no other command needs.
  const { generateFiles, moduleSource, regenerateCommand } = await import(
    '../../generator/emit/index.js'
  );
  const files = generateFiles(catalog.model, shownOut);
  let changes: ReturnType<typeof diffFiles>;
  try {
    changes = diffFiles(files, await readOwnedFiles(outDir));
  } catch (error) {
    return usageError(
      `cannot read ${shownOut}/: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (options.check) {
    if (changes.length === 0) {
      return result(
        EXIT_OK,
        [`${shownOut}/ is up to date with ${catalog.path} (${files.size} files).`],
        warnings,
      );
    }
    const noun = changes.length === 1 ? 'file differs' : 'files differ';
    return result(
      EXIT_FINDING,
      [
        `${shownOut}/ is stale: ${changes.length} ${noun} from what ${catalog.path} generates.`,
        ...formatChanges(shownOut, changes),
        `Run \`${regenerateCommand(moduleSource(catalog.model, shownOut))}\` and commit the result.`,
      ],
      warnings,
    );
  }
  try {
    await applyChanges(outDir, files, changes);
  } catch (error) {
    return usageError(
      `cannot write ${shownOut}/: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const elapsed = Math.round(performance.now() - started);
  const written = changes
    .filter((c) => c.kind !== 'removed')
    .map((c) => `  wrote    ${shownOut}/${c.path}`);
  const removed = changes
    .filter((c) => c.kind === 'removed')
    .map((c) => `  deleted  ${shownOut}/${c.path}`);
  const summary = `${catalog.path} -> ${shownOut}/: ${written.length} written, ${removed.length} deleted, ${files.size - written.length} unchanged (${elapsed} ms).`;
  return result(EXIT_OK, [...written, ...removed, summary], warnings);
}

/** The yargs command. */
export const codegenCommand = defineCommand({
  command: 'codegen',
  describe: 'Generate the typed API and JSON Schemas from the catalogue',
  builder: (yargs) =>
    yargs
      .option('schema', {
        type: 'string',
        default: DEFAULT_SCHEMA,
        describe: 'The event catalogue (YAML)',
      })
      .option('out', {
        type: 'string',
        default: DEFAULT_OUT,
        describe: 'Directory of the generated files',
      })
      .option('check', {
        type: 'boolean',
        default: false,
        describe:
          'Write nothing; exit 1 and list the differences when the generated files are stale',
      })
      .example('$0 codegen', 'generate generated/ from events.schema.yaml')
      .example(
        '$0 codegen --check',
        'in CI: fail when generated/ is not what the catalogue generates',
      )
      .example('$0 codegen --schema api/events.yaml --out src/events', 'other paths'),
  run: (args, context) => runCodegen(args, context),
});
