/**
 * Reading a catalogue file for a command: the path shown to the user, the
 * loaded model, or what went wrong.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import {
  type CatalogIssue,
  type CatalogModel,
  formatIssue,
  loadCatalog,
} from '../../generator/catalog/index.js';

/** The default catalogue path, relative to the working directory. */
export const DEFAULT_SCHEMA = 'events.schema.yaml';

/** A catalogue file after loading. */
export type CatalogFile =
  | { readonly kind: 'unreadable'; readonly path: string; readonly message: string }
  | { readonly kind: 'invalid'; readonly path: string; readonly issues: readonly CatalogIssue[] }
  | {
      readonly kind: 'valid';
      readonly path: string;
      readonly model: CatalogModel;
      readonly warnings: readonly CatalogIssue[];
    };

/** `file` as shown to the user and put in generated headers: relative to `cwd`, `/` separators. */
export function displayPath(cwd: string, file: string): string {
  const absolute = resolve(cwd, file);
  const shown = relative(cwd, absolute);
  const path = shown === '' || isAbsolute(shown) ? absolute : shown;
  return path.split(sep).join('/');
}

/** Reads and loads the catalogue at `file` (relative to `cwd`). */
export async function readCatalogFile(cwd: string, file: string): Promise<CatalogFile> {
  const path = displayPath(cwd, file);
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    return { kind: 'unreadable', path, message: readFailure(path, error) };
  }
  const loaded = loadCatalog(text, path);
  return loaded.ok
    ? { kind: 'valid', path, model: loaded.model, warnings: loaded.warnings }
    : { kind: 'invalid', path, issues: loaded.issues };
}

/** Issues, one per line, then how many. */
export function formatIssues(path: string, issues: readonly CatalogIssue[]): string[] {
  const noun = issues.length === 1 ? 'issue' : 'issues';
  return [...issues.map(formatIssue), `${issues.length} ${noun} in ${path}`];
}

/** Warnings, one per line, each marked as such. */
export function formatWarnings(warnings: readonly CatalogIssue[]): string[] {
  return warnings.map((warning) => `warning: ${formatIssue(warning)}`);
}

/** Why `path` could not be read, and what to do. */
export function readFailure(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return `cannot read ${path}: no such file (run in the project root, or pass the file's path)`;
  }
  if (code === 'EISDIR') return `cannot read ${path}: it is a directory, not a file`;
  return `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`;
}
