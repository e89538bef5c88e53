#!/usr/bin/env node
// Build step after `tsc -p tsconfig.build.json`: tsc emits only JavaScript, so
// this copies every .lua file under runtime/ to the same place under
// dist/runtime/, where the compiled runtime/redis/scripts/lua.js reads them
// (`new URL('./x.lua', import.meta.url)`). No dependency: node:fs only.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const from = join(root, 'runtime');
const to = join(root, 'dist', 'runtime');

const files = readdirSync(from, { recursive: true, encoding: 'utf8' }).filter((file) =>
  file.endsWith('.lua'),
);
for (const file of files) {
  mkdirSync(dirname(join(to, file)), { recursive: true });
  copyFileSync(join(from, file), join(to, file));
}
if (files.length === 0) {
  process.stderr.write(`copy-lua-files: no .lua file under ${from}\n`);
  process.exit(1);
}
// On stderr: the build runs in `prepack`, and npm passes a lifecycle script's
// stdout through to its own, which must stay JSON for `npm pack --json`.
process.stderr.write(`copy-lua-files: ${files.length} .lua files copied to ${to}\n`);
