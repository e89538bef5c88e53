/**
 * What README.md tells a user of the installed package about running the
 * CLI, held to what works: the pieces a new user tripped over.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './project-copy.js';

const README = readFileSync(`${REPO_ROOT}/README.md`, 'utf8');

/** The text of the README section headed `heading`, up to the next heading. */
function section(heading: string): string {
  const start = README.indexOf(`\n${heading}\n`);
  expect(start, `README has the section ${heading}`).toBeGreaterThanOrEqual(0);
  const rest = README.slice(start + heading.length + 2);
  const end = rest.search(/^#{1,3} /m);
  return end === -1 ? rest : rest.slice(0, end);
}

describe('README on the CLI', () => {
  it('runs the exporter under a supervisor with exec node_modules/.bin/schemabus, saying why not npx', () => {
    const exporter = section('### The exporter: `schemabus metrics`');
    expect(exporter).toContain('exec node_modules/.bin/schemabus metrics');
    expect(exporter).toMatch(/npx \(npm 11\) does not forward\s+SIGTERM/);
  });

  it('shows health() as the promise it is, where it reports the partitions read', () => {
    const partitions = section('### Partitioned streams: consumers and leases');
    expect(partitions).toContain('`await bus.health()` says which partitions');
    expect(partitions).not.toMatch(/^- `health\(\)`/m);
  });
});
