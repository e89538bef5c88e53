#!/usr/bin/env node
// The `schemabus` command. A published package runs the compiled CLI from dist/;
// inside this repository (no build yet) it runs the TypeScript sources through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const source = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
  const run = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', source, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(run.status ?? 2);
}
