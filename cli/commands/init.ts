/**
 * `schemabus init`: starts a project's catalogue. Writes a commented starter
 * `events.schema.yaml` that passes `check`, adds `codegen` and
 * `codegen:check` scripts to package.json when it has none of that name
 * (creating a minimal package.json in an empty directory), and prints the
 * next steps. Never overwrites: an existing catalogue stops it before
 * anything is written.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_OK,
  result,
  usageError,
} from '../command.js';
import { DEFAULT_SCHEMA, displayPath } from '../support/catalog-file.js';
import { STARTER_CATALOG } from '../support/starter-catalog.js';
import { DEFAULT_OUT } from './codegen.js';

/** Options of `init`. */
export interface InitOptions {
  /** Where to write the catalogue. @default `events.schema.yaml` */
  readonly schema?: string | undefined;
  /** The output directory the codegen scripts name. @default `generated` */
  readonly out?: string | undefined;
  /** Print what was done as JSON. */
  readonly json?: boolean | undefined;
}

/** What `init` did to package.json. */
export interface PackageJsonReport {
  readonly created: boolean;
  /** Scripts added. */
  readonly added: readonly string[];
  /** Scripts left as they were (a script of that name existed). */
  readonly kept: readonly string[];
  /** package.json says `"type": "module"` (the generated code is ESM). */
  readonly esm: boolean;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** A package name npm accepts, from a directory name. */
function packageName(dir: string): string {
  const name = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+/, '');
  return name === '' ? 'my-service' : name;
}

/** A shell word of a path: quoted only when needed. */
function word(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/** Writes the starter catalogue and the scripts; exit 2, nothing written, when the catalogue exists. */
export async function runInit(
  options: InitOptions,
  context: CommandContext,
): Promise<CommandResult> {
  const schemaPath = resolve(context.cwd, options.schema ?? DEFAULT_SCHEMA);
  const schema = displayPath(context.cwd, schemaPath);
  const out = displayPath(context.cwd, resolve(context.cwd, options.out ?? DEFAULT_OUT));
  if (await exists(schemaPath)) {
    return usageError(
      `${schema} exists already; init never overwrites a catalogue. Edit it, or give --schema another path.`,
    );
  }
  const packagePath = resolve(context.cwd, 'package.json');
  let manifest: Record<string, unknown> | undefined;
  let indent = 2;
  try {
    const text = await readFile(packagePath, 'utf8');
    indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1]?.length ?? 2;
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return usageError('package.json is not a JSON object; fix it, then run init again.');
    }
    manifest = parsed as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return usageError(
        `cannot read package.json: ${error instanceof Error ? error.message : String(error)}; fix it, then run init again.`,
      );
    }
  }
  const flags = `--schema ${word(schema)} --out ${word(out)}`;
  const wanted: Record<string, string> = {
    codegen: `schemabus codegen ${flags}`,
    'codegen:check': `schemabus codegen ${flags} --check`,
  };
  const created = manifest === undefined;
  manifest ??= { name: packageName(context.cwd), private: true, type: 'module' };
  const scripts = { ...((manifest.scripts as Record<string, string> | undefined) ?? {}) };
  const added: string[] = [];
  const kept: string[] = [];
  for (const [name, command] of Object.entries(wanted)) {
    if (name in scripts) kept.push(name);
    else {
      scripts[name] = command;
      added.push(name);
    }
  }
  try {
    await mkdir(dirname(schemaPath), { recursive: true });
    await writeFile(schemaPath, STARTER_CATALOG, { flag: 'wx' });
    if (added.length > 0) {
      const next = { ...manifest, scripts };
      await writeFile(packagePath, `${JSON.stringify(next, null, indent)}\n`);
    }
  } catch (error) {
    return usageError(`cannot write: ${error instanceof Error ? error.message : String(error)}`);
  }
  const report: PackageJsonReport = { created, added, kept, esm: manifest.type === 'module' };
  if (options.json) {
    return result(EXIT_OK, [JSON.stringify({ schema, out, packageJson: report }, null, 2)]);
  }
  const checkCommand =
    schema === DEFAULT_SCHEMA
      ? 'npx schemabus check'
      : `npx schemabus check --schema ${word(schema)}`;
  const codegen = added.includes('codegen') ? 'npm run codegen' : `npx schemabus codegen ${flags}`;
  return result(EXIT_OK, [
    `wrote    ${schema} (a starter catalogue: one stream, two consumer groups, one channel, two events)`,
    ...packageLines(report),
    '',
    'Next:',
    `  1. Describe your events in ${schema}, then check it:  ${checkCommand}`,
    `  2. Generate the typed API into ${out}/ (commit it):  ${codegen}`,
    `  3. Publish and handle events with createBus from 'schemabus' and the generated`,
    `     createPublisher / subscribe<Group> from './${out}/index.js' (README: "Use schemabus in your project").`,
  ]);
}

function packageLines({ created, added, kept, esm }: PackageJsonReport): string[] {
  const lines: string[] = [];
  if (created) lines.push('wrote    package.json (private, "type": "module")');
  if (added.length > 0) lines.push(`scripts  added ${added.join(', ')} to package.json`);
  if (kept.length > 0) lines.push(`scripts  kept your ${kept.join(', ')} (not changed)`);
  if (!esm) {
    lines.push(
      'note     package.json is not "type": "module"; schemabus and the generated code are ESM:',
      '         run `npm pkg set type=module` (or compile the generated files as .mts)',
    );
  }
  return lines;
}

/** The yargs command. */
export const initCommand = defineCommand({
  command: 'init',
  describe: 'Start a catalogue: a commented events.schema.yaml and codegen scripts',
  builder: (yargs) =>
    yargs
      .option('schema', {
        type: 'string',
        default: DEFAULT_SCHEMA,
        describe: 'Where to write the catalogue',
      })
      .option('out', {
        type: 'string',
        default: DEFAULT_OUT,
        describe: 'Directory the codegen scripts generate into',
      })
      .option('json', { type: 'boolean', default: false, describe: 'Print what was done as JSON' })
      .example('$0 init', 'events.schema.yaml and the codegen scripts in this directory')
      .example('$0 init --schema src/events.yaml --out src/generated', 'other paths')
      .epilogue('Never overwrites: an existing catalogue stops init before anything is written.'),
  run: (args, context) => runInit(args, context),
});
