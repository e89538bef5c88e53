/**
 * The CLI as a process: `npx tsx --conditions=schemabus-source cli/main.ts ...`,
 * checking exit codes and streams.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './project-copy.js';

function schemabus(...args: string[]) {
  const run = spawnSync('npx', ['tsx', '--conditions=schemabus-source', 'cli/main.ts', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('schemabus (spawned)', () => {
  it('codegen --check exits 0 on the committed output', () => {
    const run = schemabus('codegen', '--check');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('generated/ is up to date');
  }, 60_000);

  it('check exits 1 on a bad catalogue, printing located issues', () => {
    const run = schemabus('check', '--schema', 'tests/cli/fixtures/bad.schema.yaml');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^tests\/cli\/fixtures\/bad\.schema\.yaml:6:26 /m);
  }, 60_000);

  it('validate exits 1 on an invalid event', () => {
    const run = schemabus('validate', 'tests/cli/fixtures/invalid/bad-payload.json');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('/data/name: is required');
  }, 60_000);

  it('exits 2 on an unknown command or option, with the help', () => {
    const unknown = schemabus('codegen', '--chek');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown argument: chek');
    expect(unknown.stderr).toContain('--check');
    expect(schemabus().status).toBe(2);
  }, 60_000);

  it('--help lists the commands with examples and exits 0', () => {
    const run = schemabus('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('schemabus codegen');
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('Exit codes: 0 ok, 1 a finding');
  }, 60_000);
});
