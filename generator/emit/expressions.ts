/**
 * Expressions of generated code, written with ts-morph's `CodeBlockWriter`:
 * string literals, property keys, object and array literals, calls, and
 * JSON data (the catalogue in `catalog.ts`, `default`, `examples` and `enum`
 * values in TypeBox options).
 *
 * The layout is a fixed rule on the structure, never on the width: a list
 * (object entries, array items) stays on one line when it holds at most
 * `MAX_INLINE_ITEMS` scalars, and is written one item per line, each with a
 * trailing comma, otherwise. The indentation is settled by ts-morph's
 * formatter when the module is printed.
 */
import type { CodeBlockWriter, WriterFunction } from 'ts-morph';

/** Code of an expression: its text, or a writer when it may span several lines. */
export type Code = string | WriterFunction;

/** How a list is laid out: on one line, or one item per line. */
export type ListLayout = 'inline' | 'expanded';

/** The most scalars a list may hold and still be written on one line. */
export const MAX_INLINE_ITEMS = 4;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Writes `code` at the writer's position. */
export function writeCode(writer: CodeBlockWriter, code: Code): void {
  if (typeof code === 'string') writer.write(code);
  else code(writer);
}

/**
 * `'text'`: single quotes, with escapes for the quote, backslashes, line
 * breaks, control characters and lone surrogates; other characters (`é`,
 * `✓`) are kept as they are.
 */
export function stringLiteral(value: string): string {
  let body = '';
  for (const char of value) body += escapeChar(char);
  return `'${body}'`;
}

function escapeChar(char: string): string {
  switch (char) {
    case '\\':
      return '\\\\';
    case "'":
      return "\\'";
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default: {
      const code = char.codePointAt(0)!;
      const control = code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029;
      const loneSurrogate = code >= 0xd800 && code <= 0xdfff;
      return control || loneSurrogate ? `\\u${code.toString(16).padStart(4, '0')}` : char;
    }
  }
}

/** A property key: bare when it is an identifier, a string literal otherwise. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/** `'inline'` when `scalars` (one flag per item: is it a scalar?) fit on one line by the rule above. */
export function listLayout(scalars: readonly boolean[]): ListLayout {
  return scalars.length <= MAX_INLINE_ITEMS && scalars.every(Boolean) ? 'inline' : 'expanded';
}

/** `{ key: value, ... }` laid out as `layout` says; `{}` when empty. */
export function objectCode(
  entries: ReadonlyArray<readonly [key: string, value: Code]>,
  layout: ListLayout,
): Code {
  if (entries.length === 0) return '{}';
  const items = entries.map(([key, value]): Code => {
    const name = propertyKey(key);
    return typeof value === 'string'
      ? `${name}: ${value}`
      : (writer) => writeCode(writer.write(`${name}: `), value);
  });
  return listCode('{', items, '}', layout);
}

/** `[a, b, ...]` laid out as `layout` says; `[]` when empty. */
export function arrayCode(items: readonly Code[], layout: ListLayout): Code {
  return items.length === 0 ? '[]' : listCode('[', items, ']', layout);
}

function listCode(open: string, items: readonly Code[], close: string, layout: ListLayout): Code {
  if (layout === 'inline' && items.every((item) => typeof item === 'string')) {
    const [first, last] = open === '{' ? ['{ ', ' }'] : [open, close];
    return `${first}${items.join(', ')}${last}`;
  }
  return (writer) => {
    writer.write(open);
    writer.indent(() => {
      for (const item of items) {
        writeCode(writer, item);
        writer.write(',').newLine();
      }
    });
    writer.write(close);
  };
}

/** `callee(arg, ...)`, the arguments on the call's line (a multi-line argument opens there). */
export function callCode(callee: string, args: readonly Code[]): Code {
  if (args.every((arg) => typeof arg === 'string')) return `${callee}(${args.join(', ')})`;
  return (writer) => {
    writer.write(`${callee}(`);
    args.forEach((arg, i) => {
      if (i > 0) writer.write(', ');
      writeCode(writer, arg);
    });
    writer.write(')');
  };
}

/** Whether `value` is written as one token (`null`, a boolean, number or string). */
export function isScalar(value: unknown): boolean {
  return value === null || ['boolean', 'number', 'string'].includes(typeof value);
}

/**
 * `value` (JSON data) as an expression. Entries whose value is `undefined`
 * are left out, as `JSON.stringify` does.
 */
export function jsonCode(value: unknown): Code {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return stringLiteral(value);
    case 'number':
      return numberLiteral(value);
    case 'boolean':
      return String(value);
    case 'object': {
      if (Array.isArray(value))
        return arrayCode(value.map(jsonCode), listLayout(value.map(isScalar)));
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      const layout = listLayout(entries.map(([, v]) => isScalar(v)));
      return objectCode(
        entries.map(([key, v]) => [key, jsonCode(v)] as const),
        layout,
      );
    }
    default:
      throw new Error(`schemabus cannot write a ${typeof value} as a literal`);
  }
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`schemabus cannot write ${value} as a JSON number`);
  return String(value).replace('e+', 'e');
}
