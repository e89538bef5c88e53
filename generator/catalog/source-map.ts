/**
 * Document paths and the source positions of the nodes they name.
 */

/** A path into the catalogue document: map keys and sequence indices, from the root. */
export type DocPath = readonly (string | number)[];

/** A 1-based line and column in the catalogue text. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

/** The position of the document's first character, used when nothing better is known. */
export const START_POSITION: Position = { line: 1, col: 1 };

const SIMPLE_SEGMENT = /^[A-Za-z0-9_$-]+$/;

/**
 * Renders a path the way issues print it: dotted, with keys that are not
 * plain names (event types contain dots) in brackets and quotes, and
 * sequence indices in brackets: `streams.campaign-events.groups.audit-service.events[1]`,
 * `events["campaign.created"].payload.properties.budget`. The root is `""`.
 */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (SIMPLE_SEGMENT.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function pathKey(path: DocPath): string {
  return JSON.stringify(path);
}

/**
 * Where each node of the document starts: the key of a map entry and its
 * value. Lookups of paths the document does not contain (a missing key)
 * fall back to the nearest ancestor, so every issue gets a position.
 */
export class SourceMap {
  readonly #keys = new Map<string, Position>();
  readonly #values = new Map<string, Position>();

  /** Records where the key of the entry at `path` starts. */
  setKey(path: DocPath, position: Position): void {
    this.#keys.set(pathKey(path), position);
  }

  /** Records where the value at `path` starts. */
  setValue(path: DocPath, position: Position): void {
    this.#values.set(pathKey(path), position);
  }

  /** Position of the key naming `path` (the value's for sequence items and the root). */
  keyOf(path: DocPath): Position {
    for (let end = path.length; end >= 0; end--) {
      const prefix = path.slice(0, end);
      const found = this.#keys.get(pathKey(prefix)) ?? this.#values.get(pathKey(prefix));
      if (found) return found;
    }
    return START_POSITION;
  }

  /** Position of the value at `path` (its key's when the value is empty). */
  valueOf(path: DocPath): Position {
    return this.#values.get(pathKey(path)) ?? this.keyOf(path);
  }
}
