/**
 * Which paths of the output directory codegen owns. Free of ts-morph, so
 * the CLI can tell generated files apart without loading the emitters.
 */
import { SCHEMAS_DIR } from './emit-schemas.js';

/**
 * Whether `path` (relative to the output directory) is where codegen puts
 * its files: a top-level `.ts` module or a `schemas/*.json`. The CLI also
 * checks a file's content before it treats it as generated.
 */
export function isGeneratedPath(path: string): boolean {
  const [first, second, ...rest] = path.split('/');
  if (second === undefined) return first?.endsWith('.ts') ?? false;
  return first === SCHEMAS_DIR && rest.length === 0 && second.endsWith('.json');
}

export { SCHEMAS_DIR };
