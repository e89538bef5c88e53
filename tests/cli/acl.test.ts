/** `schemabus acl`: the least-privilege ACL SETUSER line of the catalogue, as text and JSON. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAcl } from '../../cli/commands/acl.js';
import { runCli } from '../../cli/program.js';
import { FIXTURES, REPO_ROOT } from './project-copy.js';

const context = { cwd: REPO_ROOT };

describe('schemabus acl', () => {
  it('prints one line to paste, with a random password said so on stderr', async () => {
    const result = await runAcl({}, context);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const password = /^ACL SETUSER schemabus reset on >([0-9a-f]{64}) ~/.exec(lines[0]!)?.[1];
    expect(password).toBeDefined();
    expect(lines[0]).toContain(' ~{campaigns:campaign-events} ~{campaigns:campaign-events}:* ');
    expect(lines[0]).toContain(
      ' &campaigns:campaign:*:status &campaigns:system:alerts &campaigns:timer:*:executions ',
    );
    expect(lines[0]).not.toMatch(/ [~&]\* | \+@all| allkeys| allchannels/);
    expect(result.stderr).toMatch(/random password/);
    const again = await runAcl({}, context);
    expect(again.stdout).not.toContain(password!);
  });

  it('takes --user and --password, quoting a password redis-cli would split', async () => {
    const result = await runAcl({ user: 'campaign-svc', password: 'two words' }, context);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^ACL SETUSER campaign-svc reset on ">two words" ~/);
    expect(result.stderr).not.toMatch(/random password/);
  });

  it('prints the parts as JSON with --json', async () => {
    const result = await runAcl({ json: true, password: 'pw' }, context);
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ user: 'schemabus', password: 'pw', notes: [] });
    expect(report.keys).toContain('{campaigns:timer-events}:*');
    expect(report.channels).toEqual([
      'campaigns:campaign:*:status',
      'campaigns:system:alerts',
      'campaigns:timer:*:executions',
    ]);
    expect(report.commands).toEqual(
      expect.arrayContaining(['xreadgroup', 'evalsha', 'psubscribe']),
    );
    expect(report.args.slice(0, 4)).toEqual(['schemabus', 'reset', 'on', '>pw']);
    expect(report.rule).toBe(`ACL SETUSER ${report.args.join(' ')}`);
  });

  it('exits 1 on a bad catalogue, with its located issues', async () => {
    const result = await runAcl({ schema: 'bad.schema.yaml' }, { cwd: FIXTURES });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^bad\.schema\.yaml:\d+:\d+ /m);
    const json = await runAcl({ schema: 'bad.schema.yaml', json: true }, { cwd: FIXTURES });
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, file: 'bad.schema.yaml' });
  });

  it('exits 2 on a user name Redis refuses, an empty password or a missing file', async () => {
    expect(await runAcl({ user: 'a b' }, context)).toMatchObject({ exitCode: 2, stdout: '' });
    expect(await runAcl({ password: '' }, context)).toMatchObject({ exitCode: 2, stdout: '' });
    expect(await runAcl({ schema: 'nope.yaml' }, context)).toMatchObject({ exitCode: 2 });
  });

  it('prints what the README\'s "Least privilege and TLS" shows', async () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const shown =
      /\$ schemabus acl --user campaign-service --password (\S+)\n(ACL SETUSER [^\n]*)\n/.exec(
        readme,
      );
    expect(shown).not.toBeNull();
    const result = await runAcl({ user: 'campaign-service', password: shown![1] }, context);
    expect(result.stdout).toBe(`${shown![2]}\n`);
  });

  it('runs from the command line', async () => {
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: () => undefined };
    expect(await runCli(['acl', '--user', 'u1', '--password', 'p1'], io, context)).toBe(0);
    expect(out.join('')).toMatch(/^ACL SETUSER u1 reset on >p1 /);
  });
});
