/**
 * "Did you mean ...?" hints of the catalogue loader, on the shared rule of
 * schema/closest-name.ts.
 */
import { closestName } from '../../schema/closest-name.js';

/** Renders names as a sorted, backquoted list: `` `a`, `b` ``. */
export function listNames(names: Iterable<string>): string {
  return [...new Set(names)]
    .sort()
    .map((n) => `\`${n}\``)
    .join(', ');
}

/**
 * A hint for an unknown name: "did you mean `x`?" when one is close, else
 * "<what>: `a`, `b`" listing the candidates, else `none` when there are none.
 */
export function suggest(
  name: string,
  candidates: Iterable<string>,
  what: string,
  none?: string,
): string | undefined {
  const all = [...candidates];
  const near = closestName(name, all);
  if (near !== undefined) return `did you mean \`${near}\`?`;
  if (all.length === 0) return none;
  return `${what}: ${listNames(all)}`;
}
