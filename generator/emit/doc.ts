/**
 * A small document algebra for laying out generated code, after Wadler's
 * "prettier printer" and the Prettier/Biome doc IR: text, groups that print
 * flat when they fit the line and broken otherwise, indentation, and lines
 * that are a space (or nothing) when flat and a newline when broken.
 *
 * Emitters describe code with these builders; `printDoc` lays it out at the
 * repository's line width, so the output is already what Biome's formatter
 * would print and `biome check generated` has nothing to change.
 */

/** A piece of layout: text, a sequence, or one of the nodes below. */
export type Doc = string | readonly Doc[] | DocNode;

/** The nodes of the algebra besides text and sequences. */
export type DocNode =
  | {
      readonly kind: 'group';
      readonly contents: Doc;
      break: boolean;
      readonly states?: readonly Doc[];
    }
  | { readonly kind: 'indent'; readonly contents: Doc }
  | { readonly kind: 'line'; readonly soft: boolean; readonly hard: boolean }
  | { readonly kind: 'if-break'; readonly broken: Doc; readonly flat: Doc }
  | { readonly kind: 'break-parent' };

/** A line: a space when its group is flat, a newline when broken. */
export const line: Doc = { kind: 'line', soft: false, hard: false };

/** A soft line: nothing when its group is flat, a newline when broken. */
export const softline: Doc = { kind: 'line', soft: true, hard: false };

/** Forces the enclosing groups to break. */
export const breakParent: Doc = { kind: 'break-parent' };

/** A newline that always breaks, and breaks every enclosing group. */
export const hardline: Doc = [{ kind: 'line', soft: false, hard: true }, breakParent];

/** Prints flat if everything up to the next possible newline fits, else broken. */
export function group(contents: Doc, options: { readonly shouldBreak?: boolean } = {}): DocNode {
  return { kind: 'group', contents, break: options.shouldBreak ?? false };
}

/**
 * Tries each layout in turn, the first flat, and keeps the first whose first
 * line fits; the last one is the fallback, printed broken.
 */
export function conditionalGroup(states: readonly [Doc, ...Doc[]]): DocNode {
  return { kind: 'group', contents: states[0], break: false, states };
}

/** Indents the lines inside by one level (two spaces). */
export function indent(contents: Doc): DocNode {
  return { kind: 'indent', contents };
}

/** `broken` when the enclosing group breaks, else `flat`. */
export function ifBreak(broken: Doc, flat: Doc = ''): DocNode {
  return { kind: 'if-break', broken, flat };
}

/** `docs` with `separator` between them. */
export function join(separator: Doc, docs: readonly Doc[]): Doc[] {
  const out: Doc[] = [];
  docs.forEach((doc, i) => {
    if (i > 0) out.push(separator);
    out.push(doc);
  });
  return out;
}

/** Whether `doc` holds a forced break (a hard line or a group already broken). */
export function willBreak(doc: Doc): boolean {
  if (typeof doc === 'string') return false;
  if (isSequence(doc)) return doc.some(willBreak);
  switch (doc.kind) {
    case 'break-parent':
      return true;
    case 'line':
      return doc.hard;
    case 'group':
      return doc.break || willBreak(doc.contents);
    case 'indent':
      return willBreak(doc.contents);
    case 'if-break':
      return willBreak(doc.broken) || willBreak(doc.flat);
  }
}

/** Type guard for sequences (a `readonly` array is not narrowed by `Array.isArray`). */
export function isSequence(doc: Doc): doc is readonly Doc[] {
  return Array.isArray(doc);
}
