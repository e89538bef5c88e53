#!/usr/bin/env node
// The `schemabus` command. Inside a checkout of this repository (cli/main.ts
// present) it runs the TypeScript sources through tsx, so a stale dist/ from an
// earlier build is never what runs; an installed package (which ships dist/ and
// no sources) runs the compiled CLI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const sources = new URL('../cli/main.ts', import.meta.url);
const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(sources)) {
  const run = spawnSync(
    process.execPath,
    [
      '--conditions=schemabus-source',
      // tsx of this checkout, wherever the command runs from.
      '--import',
      import.meta.resolve('tsx'),
      fileURLToPath(sources),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  process.exit(run.status ?? 2);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write(
    'schemabus: this installation has no dist/cli/main.js (a package packed without its build); reinstall it\n',
  );
  process.exit(2);
}
