/** The version of the installed schemabus package, for `schemabus --version`. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Reads `version` from the nearest package.json named `schemabus` above this
 * file: cli/ in a checkout, dist/cli/ when published.
 */
export function packageVersion(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'schemabus' && pkg.version) return pkg.version;
    } catch {
      // no package.json here: keep looking upwards
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
