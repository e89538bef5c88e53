/**
 * Channel patterns: `campaign:{campaignId}:status`.
 */
import { PARAM_NAME } from './names.js';

/** Characters a pattern may hold outside placeholders: no globs, no braces, no spaces. */
const LITERAL = /^[A-Za-z0-9:._-]*$/;

/** A parsed pattern, or what is wrong with it. */
export type ParsedPattern =
  | { readonly ok: true; readonly params: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly hint?: string };

/**
 * Splits a channel pattern into its `{param}` placeholders, in order.
 * Literal text may hold letters, digits and `: . _ -` only, so a channel
 * name can never become a Redis glob (`* ? [ ]`) or hold a brace.
 */
export function parseChannelPattern(pattern: string): ParsedPattern {
  const params: string[] = [];
  const literals = pattern.replace(/\{([^{}]*)\}/g, (_, name: string) => {
    params.push(name);
    return '';
  });
  const badParam = params.find((p) => !PARAM_NAME.test(p));
  if (badParam !== undefined) {
    return {
      ok: false,
      message: `placeholder \`{${badParam}}\` is not a payload field name`,
      hint: 'name a top-level payload property: letters, digits and `_`',
    };
  }
  if (!LITERAL.test(literals)) {
    return {
      ok: false,
      message: `pattern ${JSON.stringify(pattern)} holds characters a channel name may not have`,
      hint: 'use letters, digits, `:`, `.`, `_`, `-` and `{param}` placeholders; no `*`, `?`, `[`, `]` or spaces',
    };
  }
  const twice = params.find((p, i) => params.indexOf(p) !== i);
  if (twice !== undefined) {
    return { ok: false, message: `placeholder \`{${twice}}\` appears twice in the pattern` };
  }
  return { ok: true, params };
}
