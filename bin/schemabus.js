#!/usr/bin/env node
// The published CLI runs the compiled generator (npm run build).
await import('../dist/generator/cli.js');
