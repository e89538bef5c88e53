/**
 * Catalogue issues: what is wrong, where, and how to fix it.
 */
import { type DocPath, formatPath, type Position, type SourceMap } from './source-map.js';

/** One problem found in a catalogue, located in its source text. */
export interface CatalogIssue {
  /** The catalogue file, as given to `loadCatalog`. */
  readonly file: string;
  /** 1-based line of the node the issue is about. */
  readonly line: number;
  /** 1-based column of the node the issue is about. */
  readonly col: number;
  /**
   * Document path of that node, dotted, keys with dots in brackets:
   * `streams.campaign-events.retention`, `events["campaign.created"].stream`.
   * Empty for YAML syntax errors.
   */
  readonly path: string;
  /** The fact, naming the identifiers involved, and what to do. */
  readonly message: string;
  /** A suggestion: a close name, the allowed keys, a value to write. */
  readonly hint?: string;
}

/**
 * Renders an issue on one line, the way compilers do:
 * `events.schema.yaml:12:7 streams.campaign-events.retention: message (hint: ...)`.
 */
export function formatIssue(issue: CatalogIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.col}`;
  const what = issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
  return issue.hint === undefined ? `${where} ${what}` : `${where} ${what} (hint: ${issue.hint})`;
}

/** Orders issues by position, then path and message, so reports are stable. */
export function compareIssues(a: CatalogIssue, b: CatalogIssue): number {
  return (
    a.line - b.line ||
    a.col - b.col ||
    a.path.localeCompare(b.path, 'en') ||
    a.message.localeCompare(b.message, 'en')
  );
}

/**
 * Collects issues of every check, each located through the source map:
 * `atKey` for issues about a name or a missing entry (points at the key),
 * `atValue` for issues about a value (points at the value).
 */
export class IssueCollector {
  readonly #issues: CatalogIssue[] = [];
  readonly #file: string;
  readonly #source: SourceMap;

  constructor(file: string, source: SourceMap) {
    this.#file = file;
    this.#source = source;
  }

  /** Reports an issue located at the key naming `path`. */
  atKey(path: DocPath, message: string, hint?: string): void {
    this.#add(path, this.#source.keyOf(path), message, hint);
  }

  /** Reports an issue located at the value at `path`. */
  atValue(path: DocPath, message: string, hint?: string): void {
    this.#add(path, this.#source.valueOf(path), message, hint);
  }

  /** Reports an issue at an explicit position (YAML syntax errors). */
  atPosition(position: Position, message: string, hint?: string): void {
    this.#add([], position, message, hint);
  }

  /** How many issues were reported so far. */
  get count(): number {
    return this.#issues.length;
  }

  /** Every issue, sorted by position, duplicates removed. */
  sorted(): CatalogIssue[] {
    const seen = new Set<string>();
    return [...this.#issues].sort(compareIssues).filter((issue) => {
      const key = JSON.stringify(issue);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  #add(path: DocPath, position: Position, message: string, hint: string | undefined): void {
    this.#issues.push({
      file: this.#file,
      line: position.line,
      col: position.col,
      path: formatPath(path),
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  }
}
