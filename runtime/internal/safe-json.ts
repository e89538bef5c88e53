/** Parsing untrusted JSON (entry data, realtime messages): no prototype pollution, no input echoed in errors. */

function dropPollutingKeys(key: string, value: unknown): unknown {
  return key === '__proto__' || key === 'constructor' || key === 'prototype' ? undefined : value;
}

/**
 * `JSON.parse` that drops every `__proto__`, `constructor` and `prototype`
 * key, so no later merge of the result can reach a prototype. Pays for the
 * reviver only when the text contains one of those words, or any `\u`
 * escape (a key can spell them with escapes: `"\u005f_proto__"`). Throws
 * like `JSON.parse`.
 */
export function parseJsonSafely(text: string): unknown {
  // `__proto__` and `prototype` both contain "proto"; `includes` is much cheaper than a regex here.
  return text.includes('proto') || text.includes('constructor') || text.includes('\\u')
    ? JSON.parse(text, dropPollutingKeys)
    : JSON.parse(text);
}

/**
 * A fixed description of a `JSON.parse` failure of `what`: `<what> is not
 * JSON`, plus `(at position N)` or `(unexpected end of input)` when the
 * engine reports one. The engine's own message is never used: on Node 20 it
 * quotes the input (`Unexpected token 'x', "...card 4111..." is not valid
 * JSON`), and this text ends up in DLQ entries and log lines.
 */
export function jsonErrorReason(what: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const position = /\bat position (\d+)/.exec(message);
  if (position) return `${what} is not JSON (at position ${position[1]})`;
  if (/^Unexpected end of JSON input/.test(message)) {
    return `${what} is not JSON (unexpected end of input)`;
  }
  return `${what} is not JSON`;
}
