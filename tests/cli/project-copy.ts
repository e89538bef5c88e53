/**
 * Scratch copies of the repository's catalogue and generated/ for CLI tests
 * that write or modify files.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI fixtures directory. */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A temporary directory holding events.schema.yaml and (if `withGenerated`) a copy of generated/. */
export function copyProject(withGenerated = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'schemabus-cli-'));
  cpSync(join(REPO_ROOT, 'events.schema.yaml'), join(dir, 'events.schema.yaml'));
  if (withGenerated)
    cpSync(join(REPO_ROOT, 'generated'), join(dir, 'generated'), { recursive: true });
  return dir;
}

/** Removes a directory made by `copyProject`. */
export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
