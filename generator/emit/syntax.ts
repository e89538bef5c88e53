/**
 * Docs for the TypeScript constructs generated code uses, each laid out the
 * way Biome (and Prettier) format them: string literals, object and array
 * literals, calls with the last argument hugged, function signatures, union
 * types and TSDoc comments.
 */
import {
  breakParent,
  conditionalGroup,
  type Doc,
  group,
  hardline,
  ifBreak,
  indent,
  join,
  line,
  softline,
  willBreak,
} from './doc.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Whether `name` can be written bare as a property key or identifier. */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/**
 * A string literal: single quotes unless the text holds more single than
 * double quotes (the formatter's rule), escapes for the quote, backslashes
 * and control characters.
 */
export function stringLiteral(value: string): string {
  const singles = value.split("'").length - 1;
  const doubles = value.split('"').length - 1;
  const quote = singles > doubles ? '"' : "'";
  let body = '';
  for (const char of value) body += escapeChar(char, quote);
  return `${quote}${body}${quote}`;
}

function escapeChar(char: string, quote: string): string {
  switch (char) {
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case quote:
      return `\\${quote}`;
    default: {
      const code = char.codePointAt(0)!;
      if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
        return `\\u${code.toString(16).padStart(4, '0')}`;
      }
      return char;
    }
  }
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return isIdentifier(name) ? name : stringLiteral(name);
}

/** Options of an object or array literal. */
export interface LiteralOptions {
  /** Always one entry per line (the formatter keeps an object expanded once it is). */
  readonly expand?: boolean;
}

/**
 * `key: value`. A value with no place to break (a name, a number, a string)
 * moves to the next line when it does not fit, as the formatter does; a
 * string stays after a key shorter than 5 columns (its "short key" rule).
 */
export function property(key: string, value: Doc): Doc {
  const printedKey = propertyKey(key);
  if (typeof value !== 'string' || !isAtom(value)) return [printedKey, ': ', value];
  if (isQuoted(value) && printedKey.length < 5) return [printedKey, ': ', value];
  return group([printedKey, ':', group(indent([line, value]))]);
}

function isQuoted(text: string): boolean {
  return text.startsWith("'") || text.startsWith('"');
}

function isAtom(text: string): boolean {
  return isQuoted(text) || /^[^\s([{<]+$/.test(text);
}

/** `{ a, b }` flat when it fits (and is not expanded), one entry per line otherwise. */
export function objectLiteral(entries: readonly Doc[], options: LiteralOptions = {}): Doc {
  if (entries.length === 0) return '{}';
  const body = [
    indent([options.expand ? hardline : line, join([',', line], entries)]),
    ifBreak(','),
  ];
  return group(['{', body, line, '}'], { shouldBreak: options.expand ?? false });
}

/** `[a, b]` flat when it fits, one item per line otherwise. */
export function arrayLiteral(items: readonly Doc[], options: LiteralOptions = {}): Doc {
  if (items.length === 0) return '[]';
  const body = [indent([softline, join([',', line], items)]), ifBreak(',')];
  return group(['[', body, softline, ']'], { shouldBreak: options.expand ?? false });
}

/** How a call's last argument may be laid out. */
export interface CallOptions {
  /**
   * The last argument is an object or array literal (or a function) that may
   * open on the call's line and close on its own, `f(a, {` ... `})`. The
   * formatter does this unless the argument before it is of the same kind.
   */
  readonly hugLast?: boolean;
}

/** `callee(args)`: flat, last argument hugged, or one argument per line. */
export function call(callee: Doc, args: readonly Doc[], options: CallOptions = {}): Doc {
  if (args.length === 0) return [callee, '()'];
  const allBroken = group(['(', indent([line, join([',', line], args)]), ',', line, ')'], {
    shouldBreak: true,
  });
  const init = args.slice(0, -1);
  const last = args[args.length - 1]!;
  if (!options.hugLast || init.some(willBreak)) {
    if (init.some(willBreak) || willBreak(last)) return [callee, allBroken];
    return [
      callee,
      group(['(', indent([softline, join([',', line], args)]), ifBreak(','), softline, ')']),
    ];
  }
  const flat = ['(', join(', ', args), ')'];
  const hugged = ['(', join(', ', [...init, group(last, { shouldBreak: true })]), ')'];
  return [callee, willBreak(last) ? breakParent : '', conditionalGroup([flat, hugged, allBroken])];
}

/** A parenthesised parameter list, one parameter per line when it does not fit. */
export function parameters(params: readonly Doc[]): Doc {
  if (params.length === 0) return '()';
  return group(['(', indent([softline, join([',', line], params)]), ifBreak(','), softline, ')']);
}

/**
 * A type argument list `<A, B>`, broken like a parameter list when too
 * long; a single name or keyword (`Promise<void>`) never breaks.
 */
export function typeArguments(args: readonly Doc[]): Doc {
  const only = args[0];
  if (args.length === 1 && typeof only === 'string' && /^[\w$.]+$/.test(only))
    return ['<', only, '>'];
  return group(['<', indent([softline, join([',', line], args)]), softline, '>']);
}

/** `export type name = A | B;`, one `| member` per line when it does not fit. */
export function unionTypeAlias(name: string, members: readonly Doc[], exported = true): Doc {
  const head = `${exported ? 'export ' : ''}type ${name} =`;
  if (members.length === 1) return group([head, group(indent(line)), members[0]!, ';']);
  // Members are aligned under their `| ` when they break themselves.
  const aligned = members.map((member) => indent(member));
  return [head, group(indent([line, ifBreak('| '), join([line, '| '], aligned)])), ';'];
}

/** A statement block `{ ... }` with one statement per line; `{}` when empty. */
export function block(statements: readonly Doc[]): Doc {
  if (statements.length === 0) return '{}';
  return ['{', indent([hardline, join(hardline, statements)]), hardline, '}'];
}

/** Width of TSDoc text lines (before the ` * ` prefix and the indentation). */
export const DOC_WIDTH = 90;

/**
 * A TSDoc comment of `paragraphs` (separated by a blank line), each wrapped
 * at `DOC_WIDTH` columns: one line `/** text *\/` when it all fits on one,
 * else a block with ` * ` lines. `*\/` inside the text is escaped.
 */
export function docComment(paragraphs: readonly string[]): Doc {
  const lines = paragraphs
    .flatMap((paragraph, i) => [...(i > 0 ? [''] : []), ...wrap(paragraph, DOC_WIDTH)])
    .map((text) => text.replace(/\*\//g, '*\\/'));
  if (lines.length === 0) return '';
  if (lines.length === 1) return [`/** ${lines[0]} */`, hardline];
  const body = lines.map((text) => [hardline, text === '' ? ' *' : ` * ${text}`]);
  return ['/**', ...body, hardline, ' */', hardline];
}

/**
 * Words of `text` in lines of at most `width` columns (a longer word gets a
 * line of its own); explicit newlines are kept.
 */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const given of text.split('\n')) {
    let current = '';
    // A code span (`...`) is one word: it is never broken across lines.
    for (const word of given.match(/[^\s`]*`[^`]*`\S*|\S+/g) ?? []) {
      if (current !== '' && current.length + 1 + word.length > width) {
        lines.push(current);
        current = word;
      } else current = current === '' ? word : `${current} ${word}`;
    }
    lines.push(current);
  }
  return lines;
}

/** What `functionDeclaration` prints. */
export interface FunctionDeclaration {
  readonly docs: readonly string[];
  readonly name: string;
  readonly async?: boolean;
  readonly params: readonly Doc[];
  readonly returnType: string;
  readonly body: readonly Doc[];
}

/** `export [async] function name(params): ReturnType { body }` with its TSDoc. */
export function functionDeclaration(fn: FunctionDeclaration): Doc {
  return [
    docComment(fn.docs),
    `export ${fn.async ? 'async ' : ''}function ${fn.name}`,
    parameters(fn.params),
    `: ${fn.returnType} `,
    block(fn.body),
  ];
}

/** `export interface name { members }` with its TSDoc; each member brings its own. */
export function interfaceDeclaration(
  docs: readonly string[],
  name: string,
  members: readonly Doc[],
): Doc {
  return [docComment(docs), `export interface ${name} `, block(members)];
}

/** A function type `(params) => result`, parameters broken out when too long. */
export function functionType(params: readonly Doc[], result: Doc): Doc {
  return [parameters(params), ' => ', result];
}

/** An object type literal `{ a: A; b?: B }`, one member per line when too long. */
export function objectType(members: readonly Doc[]): Doc {
  if (members.length === 0) return '{}';
  return group(['{', indent([line, join([';', line], members)]), ifBreak(';'), line, '}']);
}
