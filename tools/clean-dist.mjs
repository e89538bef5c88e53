#!/usr/bin/env node
// Build step before `tsc -p tsconfig.build.json`: removes dist/, so a file
// deleted or renamed in the sources never lingers in a packed tarball.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
