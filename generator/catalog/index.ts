/**
 * Loading a catalogue: YAML text -> checked, normalised `CatalogModel`, or
 * every issue at once, located and sorted. Pure: the caller reads the file.
 */

import { checkNameCollisions, checkNames } from './check-names.js';
import { checkPartitionKeys } from './check-partitions.js';
import { checkReferences } from './check-references.js';
import { checkBackoffBounds } from './check-settings.js';
import { checkStructure } from './check-structure.js';
import { type CatalogIssue, IssueCollector } from './issues.js';
import type { CatalogModel } from './model.js';
import { normalise } from './normalise.js';
import { parseYaml } from './parse-yaml.js';
import { Reader } from './reader.js';

export { dlqKeysOf } from './dlq-keys.js';
export { type CatalogIssue, formatIssue } from './issues.js';
export type * from './model.js';

/** What `loadCatalog` returns: the model and advice, or the issues that prevent one. */
export type LoadCatalogResult =
  | { readonly ok: true; readonly model: CatalogModel; readonly warnings: CatalogIssue[] }
  | { readonly ok: false; readonly issues: CatalogIssue[] };

/**
 * Parses, checks and normalises a catalogue. Reports every issue it can
 * find in one pass, sorted by position; only YAML syntax errors stop the
 * checks early, since the document behind them is not reliable. Never
 * throws on bad input.
 *
 * @param text the catalogue's YAML text
 * @param sourcePath the file name to put in issues and generated headers
 */
export function loadCatalog(text: string, sourcePath: string): LoadCatalogResult {
  const parsed = parseYaml(text);
  const issues = new IssueCollector(sourcePath, parsed.source);
  const warnings = new IssueCollector(sourcePath, parsed.source);
  for (const w of parsed.warnings) warnings.atPosition(w.position, w.message);
  if (parsed.errors.length > 0) {
    for (const e of parsed.errors) issues.atPosition(e.position, e.message, e.hint);
    return { ok: false, issues: issues.sorted() };
  }
  const reader = new Reader(issues);
  const doc = checkStructure(reader, parsed.root);
  checkNames(reader, doc);
  checkNameCollisions(reader, doc);
  checkReferences(reader, doc, warnings);
  checkPartitionKeys(reader, doc);
  checkBackoffBounds(
    reader,
    doc.defaults,
    doc.streams.flatMap((s) => s.groups),
  );
  if (issues.count > 0) return { ok: false, issues: issues.sorted() };
  return { ok: true, model: normalise(doc, sourcePath), warnings: warnings.sorted() };
}
