/**
 * Lays out a `Doc` at a fixed line width: the algorithm of Prettier's
 * `printDocToString`, reduced to the nodes of `doc.ts`. A group prints flat
 * when its contents, and what follows them up to the next possible newline,
 * fit the rest of the line; otherwise it breaks.
 */
import { type Doc, type DocNode, isSequence } from './doc.js';

/** The line width of generated code (Biome's `lineWidth` in biome.json). */
export const LINE_WIDTH = 100;

/** One indentation level of generated code. */
export const INDENT = '  ';

type Mode = 'flat' | 'break';

interface Command {
  readonly indent: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

type Group = Extract<DocNode, { kind: 'group' }>;

/** Lays out `doc` from column 0 in lines of at most `width` columns (where it can break). */
export function printDoc(doc: Doc, width: number = LINE_WIDTH): string {
  propagateBreaks(doc);
  const out: string[] = [];
  const commands: Command[] = [{ indent: 0, mode: 'break', doc }];
  let pos = 0;
  let remeasure = false;
  while (commands.length > 0) {
    const { indent, mode, doc: current } = commands.pop()!;
    if (typeof current === 'string') {
      out.push(current);
      pos += current.length;
      continue;
    }
    if (isSequence(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        commands.push({ indent, mode, doc: current[i]! });
      }
      continue;
    }
    switch (current.kind) {
      case 'indent':
        commands.push({ indent: indent + 1, mode, doc: current.contents });
        break;
      case 'if-break':
        commands.push({ indent, mode, doc: mode === 'break' ? current.broken : current.flat });
        break;
      case 'break-parent':
        break;
      case 'group': {
        if (mode === 'flat' && !remeasure) {
          commands.push({ indent, mode: current.break ? 'break' : 'flat', doc: current.contents });
          break;
        }
        remeasure = false;
        commands.push(chooseLayout(current, indent, commands, width - pos));
        break;
      }
      case 'line': {
        if (mode === 'flat' && !current.hard) {
          if (!current.soft) {
            out.push(' ');
            pos += 1;
          }
          break;
        }
        if (mode === 'flat') remeasure = true;
        trimTrailingSpaces(out);
        out.push(`\n${INDENT.repeat(indent)}`);
        pos = indent * INDENT.length;
        break;
      }
    }
  }
  return out.join('');
}

/** The command that prints `group`: flat if it fits, else its first fitting state, else broken. */
function chooseLayout(
  group: Group,
  indent: number,
  rest: readonly Command[],
  remaining: number,
): Command {
  const flat: Command = { indent, mode: 'flat', doc: group.contents };
  if (!group.break && fits(flat, rest, remaining)) return flat;
  const states = group.states;
  if (states === undefined) return { indent, mode: 'break', doc: group.contents };
  const mostExpanded: Command = { indent, mode: 'break', doc: states[states.length - 1]! };
  if (group.break) return mostExpanded;
  for (const state of states.slice(1, -1)) {
    const candidate: Command = { indent, mode: 'flat', doc: state };
    if (fits(candidate, rest, remaining)) return candidate;
  }
  return mostExpanded;
}

/**
 * Whether `next`, then the commands after it up to their first newline, fit
 * in `width` columns.
 */
function fits(next: Command, rest: readonly Command[], width: number): boolean {
  let remaining = width;
  let restIndex = rest.length;
  const stack: Array<[Mode, Doc]> = [[next.mode, next.doc]];
  while (remaining >= 0) {
    const top = stack.pop();
    if (top === undefined) {
      if (restIndex === 0) return true;
      const command = rest[--restIndex]!;
      stack.push([command.mode, command.doc]);
      continue;
    }
    const [mode, doc] = top;
    if (typeof doc === 'string') {
      remaining -= doc.length;
    } else if (isSequence(doc)) {
      for (let i = doc.length - 1; i >= 0; i--) stack.push([mode, doc[i]!]);
    } else {
      switch (doc.kind) {
        case 'group': {
          const groupMode: Mode = doc.break ? 'break' : mode;
          const contents =
            doc.states !== undefined && groupMode === 'break'
              ? doc.states[doc.states.length - 1]!
              : doc.contents;
          stack.push([groupMode, contents]);
          break;
        }
        case 'indent':
          stack.push([mode, doc.contents]);
          break;
        case 'if-break':
          stack.push([mode, mode === 'break' ? doc.broken : doc.flat]);
          break;
        case 'line':
          if (mode === 'break' || doc.hard) return true;
          if (!doc.soft) remaining -= 1;
          break;
        case 'break-parent':
          break;
      }
    }
  }
  return false;
}

/**
 * Marks every group holding a forced break as broken, up to (not through) the
 * nearest conditional group, as Prettier's `propagateBreaks` does.
 */
function propagateBreaks(doc: Doc): void {
  const visited = new Set<Group>();
  const walk = (current: Doc): boolean => {
    if (typeof current === 'string') return false;
    if (isSequence(current)) {
      let broken = false;
      for (const child of current) broken = walk(child) || broken;
      return broken;
    }
    switch (current.kind) {
      case 'break-parent':
        return true;
      case 'line':
        return false;
      case 'indent':
        return walk(current.contents);
      case 'if-break':
        return walk(current.broken) || walk(current.flat);
      case 'group': {
        if (visited.has(current)) return current.break;
        visited.add(current);
        const children = current.states ?? [current.contents];
        let broken = false;
        for (const child of children) broken = walk(child) || broken;
        if (current.states !== undefined) return current.break;
        if (broken) current.break = true;
        return current.break;
      }
    }
  };
  walk(doc);
}

function trimTrailingSpaces(out: string[]): void {
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    const trimmed = last.replace(/[ \t]+$/, '');
    if (trimmed !== '') {
      out[out.length - 1] = trimmed;
      return;
    }
    out.pop();
  }
}
