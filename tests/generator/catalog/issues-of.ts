/**
 * The issues of a catalogue text in the compact shape the tables compare.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../generator/catalog/index.js';

/** One expected issue: `at` is `line:col`. */
export interface WantIssue {
  readonly at: string;
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** A row of a bad-catalogue table. */
export type BadCatalogCase = [name: string, test: { given: string; want: WantIssue[] }];

/** Loads `text` as `shop.yaml` and returns its issues (none when it loads). */
export function issuesOf(text: string): WantIssue[] {
  const result = loadCatalog(text, 'shop.yaml');
  if (result.ok) return [];
  return result.issues.map((issue) => ({
    at: `${issue.line}:${issue.col}`,
    path: issue.path,
    message: issue.message,
    ...(issue.hint === undefined ? {} : { hint: issue.hint }),
    ...(issue.file === 'shop.yaml' ? {} : { file: issue.file }),
  }));
}

/** Registers a table of bad catalogues: each must report exactly its `want` issues, in order. */
export function describeBadCatalogs(title: string, cases: readonly BadCatalogCase[]): void {
  describe(title, () => {
    it.each(cases)('%s', (_, { given, want }) => {
      expect(want.length).toBeGreaterThan(0);
      expect(issuesOf(given)).toEqual(want);
    });
  });
}
