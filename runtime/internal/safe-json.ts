/**
 * Parsing untrusted JSON (entry data, realtime messages): no prototype
 * pollution, no nesting deeper than MAX_JSON_DEPTH, no input echoed in
 * errors.
 */

/**
 * The deepest nesting of arrays and objects accepted. V8 parses deeper
 * documents, but JSON.stringify, structuredClone and any recursive walk of
 * the result (a handler's, a logger's) overflow the stack on them.
 */
export const MAX_JSON_DEPTH = 64;

/** Thrown by {@link parseJsonSafely} for a document nested deeper than MAX_JSON_DEPTH. */
class JsonTooDeepError extends Error {
  override name = 'JsonTooDeepError';
}

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
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new JsonTooDeepError(`nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  // `__proto__` and `prototype` both contain "proto"; `includes` is much cheaper than a regex here.
  return text.includes('proto') || text.includes('constructor') || text.includes('\\u')
    ? JSON.parse(text, dropPollutingKeys)
    : JSON.parse(text);
}

/**
 * Whether `text` opens more than `max` arrays and objects inside each other.
 * Counting the brackets first (a native search) settles it for almost every
 * document: one with at most `max` of them cannot nest deeper; only the
 * others are scanned character by character, strings skipped.
 */
function nestsDeeperThan(text: string, max: number): boolean {
  if (text.length <= 2 * max) return false;
  let brackets = 0;
  for (const open of ['{', '[']) {
    for (let i = text.indexOf(open); i !== -1; i = text.indexOf(open, i + 1)) {
      if (++brackets > max) return depthOf(text, max) > max;
    }
  }
  return false;
}

/** The nesting depth of `text`, counted up to `max + 1`. */
function depthOf(text: string, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/**
 * A fixed description of a `JSON.parse` failure of `what`: `<what> is not
 * JSON`, plus `(at position N)` or `(unexpected end of input)` when the
 * engine reports one. The engine's own message is never used: on Node 20 it
 * quotes the input (`Unexpected token 'x', "...card 4111..." is not valid
 * JSON`), and this text ends up in DLQ entries and log lines.
 */
export function jsonErrorReason(what: string, error: unknown): string {
  if (error instanceof JsonTooDeepError) return `${what} ${error.message}`;
  const message = error instanceof Error ? error.message : '';
  const position = /\bat position (\d+)/.exec(message);
  if (position) return `${what} is not JSON (at position ${position[1]})`;
  if (/^Unexpected end of JSON input/.test(message)) {
    return `${what} is not JSON (unexpected end of input)`;
  }
  return `${what} is not JSON`;
}
