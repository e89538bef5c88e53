/**
 * What differs between the files codegen would write and those on disk,
 * summarised for `codegen --check`.
 */
import { compareCodePoints } from '../../generator/emit/names.js';

/** One file that differs. */
export interface FileChange {
  /** Path relative to the output directory. */
  readonly path: string;
  /** `added`: would be written, missing on disk; `removed`: on disk, no longer generated. */
  readonly kind: 'added' | 'removed' | 'changed';
  /** For `changed`: the first line that differs (1-based) and both versions of it. */
  readonly line?: number;
  readonly expected?: string;
  readonly actual?: string;
}

/** Every difference between `expected` and `actual` (path -> text), sorted by path. */
export function diffFiles(
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string>,
): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, text] of expected) {
    const found = actual.get(path);
    if (found === undefined) changes.push({ path, kind: 'added' });
    else if (found !== text)
      changes.push({ path, kind: 'changed', ...firstDifference(text, found) });
  }
  for (const path of actual.keys()) {
    if (!expected.has(path)) changes.push({ path, kind: 'removed' });
  }
  return changes.sort((a, b) => compareCodePoints(a.path, b.path));
}

/** The first line where `expected` and `actual` differ, with both versions of it. */
export function firstDifference(
  expected: string,
  actual: string,
): { line: number; expected: string; actual: string } {
  const want = expected.split('\n');
  const got = actual.split('\n');
  let i = 0;
  while (i < want.length && i < got.length && want[i] === got[i]) i++;
  return { line: i + 1, expected: want[i] ?? '<end of file>', actual: got[i] ?? '<end of file>' };
}

/** The changes as report lines, paths shown under `outDir`. */
export function formatChanges(outDir: string, changes: readonly FileChange[]): string[] {
  const lines: string[] = [];
  for (const change of changes) {
    const path = `${outDir}/${change.path}`;
    if (change.kind === 'added') lines.push(`  missing  ${path} (codegen would write it)`);
    else if (change.kind === 'removed')
      lines.push(`  stale    ${path} (no longer generated; codegen would delete it)`);
    else {
      lines.push(`  changed  ${path}, first difference at line ${change.line}:`);
      lines.push(`             expected: ${clip(change.expected ?? '')}`);
      lines.push(`             found:    ${clip(change.actual ?? '')}`);
    }
  }
  return lines;
}

const MAX_SHOWN = 120;

function clip(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}
