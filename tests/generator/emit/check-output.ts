/**
 * Checks generated output the way CI checks generated/: written to a
 * scratch directory inside the repository (so `schemabus` resolves to the
 * runtime through package.json), type-checked with the repository's
 * tsconfig, and run through `biome check` without its formatter (generated/
 * is linted and its imports organized, but ts-morph lays it out).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './example-model.js';

/** Writes `files` under `.vitest-tmp/<name>-<pid>/` and returns that directory. */
export function writeScratch(name: string, files: ReadonlyMap<string, string>): string {
  const dir = join(REPO_ROOT, '.vitest-tmp', `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** Removes a scratch directory. */
export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The type errors of the `.ts` files in `dir` (formatted, empty when it compiles). */
export function typeErrors(dir: string): string[] {
  const project = new Project({
    tsConfigFilePath: join(REPO_ROOT, 'tsconfig.json'),
    skipAddingFilesFromTsConfig: true,
  });
  const files = project.addSourceFilesAtPaths(join(dir, '*.ts'));
  return files.flatMap((file) =>
    file
      .getPreEmitDiagnostics()
      .map(
        (d) =>
          `${file.getBaseName()}:${d.getLineNumber()}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string | ts.DiagnosticMessageChain, ' ')}`,
      ),
  );
}

/** What `biome check` (lint and import order, not formatting) says about `dir`; `''` when clean. */
export function biomeFindings(dir: string): string {
  const run = spawnSync(
    join(REPO_ROOT, 'node_modules/.bin/biome'),
    ['check', '--formatter-enabled=false', '--max-diagnostics=20', dir],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  return run.status === 0 ? '' : `${run.stdout}${run.stderr}`;
}

/** Registers the checks CI runs on generated/ for the output in `dir()`: it type-checks, and biome finds nothing. */
export function itPassesGeneratedCodeChecks(dir: () => string): void {
  it('type-checks under the repository tsconfig', () => {
    expect(typeErrors(dir())).toEqual([]);
  }, 120_000);

  it('passes biome check (lint, import order)', () => {
    expect(biomeFindings(dir())).toBe('');
  }, 60_000);
}
