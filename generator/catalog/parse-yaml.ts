/**
 * Step 1: YAML text -> plain values plus the source position of every node.
 */
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from 'yaml';
import { type DocPath, type Position, SourceMap } from './source-map.js';

/** A YAML error or warning, located. */
export interface YamlProblem {
  readonly position: Position;
  readonly message: string;
  readonly hint?: string;
}

/** The parsed document: plain values (maps as objects), positions, and YAML problems. */
export interface ParsedYaml {
  /** The document as plain data; `null` for an empty document. */
  readonly root: unknown;
  readonly source: SourceMap;
  /** Syntax errors: when there is any, `root` is not to be trusted. */
  readonly errors: readonly YamlProblem[];
  readonly warnings: readonly YamlProblem[];
}

/** Deeper documents are refused: a catalogue is never this deep, an alias loop is. */
const MAX_DEPTH = 64;

/**
 * Parses one YAML document (YAML 1.2 core schema, duplicate keys refused)
 * into plain data and records where every key and value starts. Aliases
 * are expanded; map keys become strings. Never throws.
 */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Position => lineCounter.linePos(offset);
  const source = new SourceMap();
  const errors: YamlProblem[] = doc.errors.map((e) => ({
    position: at(e.pos[0]),
    ...describeYamlError(e, text),
  }));
  const warnings = doc.warnings.map((w) => ({ position: at(w.pos[0]), message: w.message }));
  const walker = new Walker(doc, source, at, errors);
  const root = doc.contents === null ? null : walker.walk(doc.contents as Node, [], 0);
  return { root, source, errors, warnings };
}

/** A message (and hint) for a YAML error that names what it can. */
function describeYamlError(error: YAMLError, text: string): { message: string; hint?: string } {
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^("[^"]*"|'[^']*'|[^:#\n]+?)\s*:/.exec(text.slice(error.pos[0]))?.[1];
    return {
      message: `YAML syntax error: key ${key === undefined ? '' : `\`${key}\` `}appears twice in the same mapping`,
      hint: 'merge the two entries or rename one',
    };
  }
  if (error.code === 'MULTIPLE_DOCS') {
    return {
      message: 'YAML syntax error: the file holds more than one YAML document; a catalogue is one',
      hint: 'remove the `---` separator and merge or drop what follows it',
    };
  }
  const message = `YAML syntax error: ${error.message}`;
  if (error.code === 'TAB_AS_INDENT') return { message, hint: 'indent with spaces' };
  if (error.code === 'BAD_INDENT' && /^Flow (map|sequence)/.test(error.message)) {
    return { message, hint: 'close the `{` or `[` opened above, or indent its continuation lines' };
  }
  return { message };
}

class Walker {
  readonly #active = new Set<Node>();

  constructor(
    readonly doc: Document,
    readonly source: SourceMap,
    readonly at: (offset: number) => Position,
    readonly errors: YamlProblem[],
  ) {}

  walk(node: Node, path: DocPath, depth: number): unknown {
    const start = node.range?.[0];
    const empty = isScalar(node) && node.value === null && node.range?.[0] === node.range?.[1];
    if (start !== undefined && !empty) this.source.setValue(path, this.at(start));
    if (depth > MAX_DEPTH || this.#active.has(node)) {
      this.errors.push({
        position: this.at(start ?? 0),
        message: 'YAML syntax error: the document nests too deep (an alias refers to itself?)',
      });
      return null;
    }
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      return target === undefined ? null : this.#enter(target as Node, path, depth);
    }
    if (isScalar(node)) return node.value;
    return this.#enter(node, path, depth);
  }

  #enter(node: Node, path: DocPath, depth: number): unknown {
    this.#active.add(node);
    try {
      if (isMap(node)) {
        const entries: [string, unknown][] = [];
        for (const pair of node.items) {
          const keyNode = pair.key as Node | null;
          const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
          const childPath = [...path, key];
          const keyStart = keyNode?.range?.[0];
          if (keyStart !== undefined) this.source.setKey(childPath, this.at(keyStart));
          const value = pair.value as Node | null;
          entries.push([key, value === null ? null : this.walk(value, childPath, depth + 1)]);
        }
        return Object.fromEntries(entries);
      }
      if (isSeq(node)) {
        return node.items.map((item, i) =>
          item === null ? null : this.walk(item as Node, [...path, i], depth + 1),
        );
      }
      return isScalar(node) ? node.value : null;
    } finally {
      this.#active.delete(node);
    }
  }
}
