/**
 * Copiers compiled per key sequence, for frozen-data.ts. Events of one type
 * have one or a few key sequences ("shapes"), and an object built as one
 * literal in that order gets all its properties in the object itself, in
 * one allocation, with no map transition per property: the copy costs about
 * a third of copying key by key, and the copies the log retains are smaller
 * for the garbage collector to move as they age.
 *
 * A shape is found by walking the object's keys (for-in order, which is the
 * JSON order) down a trie of the sequences seen so far; each node remembers
 * the keys that followed it last, so the walk is a comparison per key. The
 * trie and the compiled copiers are bounded (objects used as maps with data
 * as keys would otherwise grow them without end), and a sequence is compiled
 * only once it comes again: before that, past the bounds, or where code
 * cannot be generated, `shapeCopier` answers `undefined` and the caller
 * copies key by key.
 */

/** Copies one value (frozen-data.ts's walk): its copy, or the caller's decline marker. */
export type ValueCopier = (value: unknown, depth: number) => unknown;

/**
 * Copies the values of an object of one shape with `copyValue` and returns
 * them frozen in a literal of that key order, or `decline` as soon as a
 * value declines.
 */
export type ShapeCopier = (
  source: Record<string, unknown>,
  depth: number,
  copyValue: ValueCopier,
  decline: unknown,
  size: JsonSize,
) => unknown;

/** The JSON size bound a copy accumulates (frozen-data.ts): strings copied inline add to it here. */
export interface JsonSize {
  bound: number;
}

/** A compiled copier and the bytes its keys add to the JSON size bound. */
export interface Shape {
  readonly copy: ShapeCopier;
  /** `{}` and every `"key":` with its comma, each character counted as an escape (6 bytes). */
  readonly keyBytes: number;
}

/** Trie nodes kept in all (each a key of some shape). */
const MAX_NODES = 2048;
/** Copiers compiled in all; a shape is compiled the second time it is copied. */
const MAX_COPIERS = 256;
/** Objects with more keys are copied key by key. */
const MAX_KEYS = 64;
/**
 * Objects with a longer key are copied key by key: the trie keeps every key
 * it holds for the life of the process, and long keys are data (emails,
 * tokens, ids of objects used as maps), not field names.
 */
const MAX_KEY_CHARS = 64;
/** Keys a literal would not copy as JSON does (`__proto__` sets the prototype); frozen-data declines them. */
const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** One key sequence: the keys walked from the root to here. */
class ShapeNode {
  /**
   * The two keys that followed this one last, and their nodes: the walk's
   * fast path (two, as the root starts both an event's sequence and that of
   * an object nested in it).
   */
  key0: string | undefined = undefined;
  next0: ShapeNode | undefined = undefined;
  key1: string | undefined = undefined;
  next1: ShapeNode | undefined = undefined;
  /** Every key that followed this one. */
  readonly #next = new Map<string, ShapeNode>();
  /** The copier of the sequence ending here; `null` when it cannot be compiled. */
  #shape: Shape | null | undefined = undefined;
  /** Copies of this sequence so far, up to the one that compiles it. */
  #uses = 0;

  constructor(
    readonly parent: ShapeNode | undefined,
    readonly key: string,
    readonly depth: number,
  ) {}

  /** The node of `key` after this one, created within the bound; `undefined` past it. */
  next(key: string): ShapeNode | undefined {
    let node = this.#next.get(key);
    if (node === undefined) {
      if (nodes >= MAX_NODES || this.depth >= MAX_KEYS || key.length > MAX_KEY_CHARS) {
        return undefined;
      }
      nodes++;
      keyChars += key.length;
      node = new ShapeNode(this, key, this.depth + 1);
      this.#next.set(key, node);
    }
    this.key1 = this.key0;
    this.next1 = this.next0;
    this.key0 = key;
    this.next0 = node;
    return node;
  }

  /**
   * The copier of the sequence ending here, compiled on its second use (a
   * sequence seen once, as a map's keys are, costs no compilation).
   */
  shape(): Shape | undefined {
    if (this.#shape === undefined) {
      if (++this.#uses < 2 || copiers >= MAX_COPIERS) return undefined;
      this.#shape = compile(this.keys());
      // Only compiled copiers count (a refused key or no code generation compiles nothing).
      if (this.#shape !== null) copiers++;
    }
    return this.#shape ?? undefined;
  }

  keys(): string[] {
    const keys: string[] = [];
    for (let node: ShapeNode | undefined = this; node?.parent !== undefined; node = node.parent) {
      keys.push(node.key);
    }
    return keys.reverse();
  }
}

let nodes = 0;
let copiers = 0;
let keyChars = 0;

/** What the trie holds: nodes, compiled copiers and the characters of their keys (for tests). */
export function shapeCacheSize(): { nodes: number; copiers: number; keyChars: number } {
  return { nodes, copiers, keyChars };
}
const root = new ShapeNode(undefined, '', 0);

/**
 * The compiled copier of `source`'s key sequence (its own enumerable keys,
 * as for-in walks them), or `undefined` when the caller should copy key by key.
 */
export function shapeCopier(source: Record<string, unknown>): Shape | undefined {
  let node: ShapeNode | undefined = root;
  for (const key in source) {
    node = node.key0 === key ? node.next0! : node.key1 === key ? node.next1! : node.next(key);
    if (node === undefined) return undefined;
  }
  return node.shape();
}

/**
 * `function (s, d, c, D, z) { let v0 = s["a"]; <a string: its bound; else v0 = c(v0, d), D declines> ...
 * z.bound += <strings' bound>; return Object.freeze({ "a": v0, ... }); }`
 */
function compile(keys: readonly string[]): Shape | null {
  if (keys.some((key) => REFUSED_KEYS.has(key))) return null;
  let body = '';
  let literal = '';
  let keyBytes = 2;
  keys.forEach((key, i) => {
    const name = JSON.stringify(key);
    // Strings, the most common values, inline; anything else through the walk.
    body += `let v${i} = s[${name}]; if (typeof v${i} === 'string') b += 6 * v${i}.length + 2; else { v${i} = c(v${i}, d); if (v${i} === D) return D; }\n`;
    literal += `${name}: v${i}, `;
    keyBytes += 6 * key.length + 4;
  });
  try {
    const copy = new Function(
      's',
      'd',
      'c',
      'D',
      'z',
      `let b = 0;\n${body}z.bound += b;\nreturn Object.freeze({ ${literal}});`,
    );
    return { copy: copy as ShapeCopier, keyBytes };
  } catch {
    // Code generation from strings disallowed (--disallow-code-generation-from-strings, a CSP).
    return null;
  }
}
