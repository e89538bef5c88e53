import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../cli/commands/check.js';
import { copyProject, FIXTURES, REPO_ROOT, removeProject } from './project-copy.js';

const BAD = 'tests/cli/fixtures/bad.schema.yaml';

describe('check', () => {
  it('exits 0 on the example catalogue, with a summary', async () => {
    const result = await runCheck({}, { cwd: REPO_ROOT });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /^events\.schema\.yaml is valid: 14 events, 4 streams, \d+ groups, 3 channels, 3 types\.\n$/,
    );
  });

  it('names the partitioned streams in the summary, and counts their partitions in --json', async () => {
    const dir = copyProject();
    try {
      const file = join(dir, 'events.schema.yaml');
      const text = readFileSync(file, 'utf8').replace(
        /^ {2}timer-events:\n/m,
        '  timer-events:\n    partitions: 4\n    partitionKey: campaignId\n',
      );
      writeFileSync(file, text);
      const result = await runCheck({}, { cwd: dir });
      expect(result.stderr + result.stdout).toMatch(
        /\(timer-events: 4 partitions by campaignId\)\.\n$/,
      );
      const json = JSON.parse((await runCheck({ json: true }, { cwd: dir })).stdout);
      expect(json.summary.partitions).toBe(4);
    } finally {
      removeProject(dir);
    }
  });

  it('exits 1 printing every issue as file:line:col path: message (hint)', async () => {
    const result = await runCheck({ schema: BAD }, { cwd: REPO_ROOT });
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1)).toHaveLength(3);
    for (const line of lines.slice(0, -1))
      expect(line).toMatch(new RegExp(`^${BAD}:\\d+:\\d+ \\S+: `));
    expect(result.stdout).toContain(
      `${BAD}:11:13 events["campaign.created"].stream: event \`campaign.created\` names stream \`campaign-event\``,
    );
    expect(result.stdout).toContain('(hint: did you mean `campaign-events`?)');
    expect(lines.at(-1)).toBe(`3 issues in ${BAD}`);
  });

  it('prints valid JSON with --json, for a bad and a good catalogue', async () => {
    const bad = await runCheck({ schema: BAD, json: true }, { cwd: REPO_ROOT });
    expect(bad.exitCode).toBe(1);
    const report = JSON.parse(bad.stdout);
    expect(report).toMatchObject({ ok: false, file: BAD });
    expect(report.issues).toHaveLength(3);
    expect(report.issues[0]).toEqual(
      expect.objectContaining({
        file: BAD,
        line: expect.any(Number),
        col: expect.any(Number),
        path: expect.any(String),
        message: expect.any(String),
      }),
    );
    const good = await runCheck({ json: true }, { cwd: REPO_ROOT });
    expect(good.exitCode).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({
      ok: true,
      issues: [],
      summary: { events: 14 },
    });
  });

  it('exits 2 when the catalogue cannot be read', async () => {
    const result = await runCheck({ schema: 'nope.yaml' }, { cwd: FIXTURES });
    expect(result).toMatchObject({ exitCode: 2, stdout: '' });
    expect(result.stderr).toContain('cannot read nope.yaml: no such file');
  });
});

describe('check --against', () => {
  let dir = '';
  afterEach(() => removeProject(dir));

  /** Writes a changed copy of the example catalogue as `changed.yaml` and returns its path. */
  function changed(edit: (text: string) => string): string {
    dir = copyProject(false);
    const text = readFileSync(join(dir, 'events.schema.yaml'), 'utf8');
    const next = edit(text);
    expect(next).not.toBe(text);
    writeFileSync(join(dir, 'changed.yaml'), next);
    return 'changed.yaml';
  }

  it('exits 0 when nothing breaks (an optional field added)', async () => {
    const schema = changed((t) =>
      t.replace(
        '        ownerId: { type: string, format: uuid }\n',
        '        ownerId: { type: string, format: uuid }\n        note: { type: string }\n',
      ),
    );
    const result = await runCheck({ schema, against: 'events.schema.yaml' }, { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('has no breaking change from events.schema.yaml');
  });

  it('lists each breaking change and exits 1', async () => {
    const schema = changed((t) =>
      t
        .replace(
          'required: [campaignId, name, budget, ownerId, createdAt]',
          'required: [campaignId, name, budget, ownerId, createdAt, region]',
        )
        .replace(
          '        ownerId: { type: string, format: uuid }\n        startsAt',
          '        ownerId: { type: string, format: uuid }\n        region: { type: string }\n        startsAt',
        )
        .replace(
          'enum: [draft, scheduled, active, paused, completed, cancelled]',
          'enum: [draft, scheduled, active, paused, completed]',
        )
        .replace('        reason: { type: string, maxLength: 500 }\n', '')
        .replace(
          'name: { type: string, minLength: 1, maxLength: 200 }\n        budget: { $ref: "#/types/Money" }\n        ownerId',
          'name: { type: string, minLength: 1, maxLength: 100 }\n        budget: { $ref: "#/types/Money" }\n        ownerId',
        )
        .replace('  system.alert:\n', '  system.alarm:\n')
        .replace('      push-service: { events: [notification.requested] }\n', ''),
    );
    const result = await runCheck({ schema, against: 'events.schema.yaml' }, { cwd: dir });
    expect(result.exitCode).toBe(1);
    const out = result.stdout;
    expect(out).toContain(
      'changed.yaml events["campaign.created"].payload.required: field `region` is now required',
    );
    expect(out).toContain(
      'events["campaign.created"].payload.properties.name: `maxLength` lowered from `200` to 100',
    );
    expect(out).toContain(
      'events["campaign.status-changed"].payload.properties.from: no longer accepts `"cancelled"`',
    );
    expect(out).toContain(
      'events["campaign.status-changed"].payload.properties.reason: field `reason` removed',
    );
    expect(out).toContain('events["system.alert"]: event `system.alert` removed (or renamed)');
    expect(out).toContain(
      'streams.notification-events.groups.push-service: group `push-service` removed',
    );
    expect(out).toMatch(/\d+ breaking changes from events\.schema\.yaml/);
  });

  it('reports breaking changes as JSON', async () => {
    const schema = changed((t) =>
      t.replace(
        'pattern: "campaign:{campaignId}:status"',
        'pattern: "campaign:{campaignId}:state"',
      ),
    );
    const result = await runCheck(
      { schema, against: 'events.schema.yaml', json: true },
      { cwd: dir },
    );
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false,
      against: 'events.schema.yaml',
      breaking: [
        {
          path: 'channels.campaign-status.pattern',
          message: expect.stringContaining('subscribers of the old pattern hear nothing'),
        },
      ],
    });
  });

  it('exits 2 when the older version is not a valid catalogue', async () => {
    dir = copyProject(false);
    writeFileSync(join(dir, 'old.yaml'), 'schemabus: 2\n');
    const result = await runCheck({ against: 'old.yaml' }, { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('cannot compare against old.yaml: it is not a valid catalogue');
  });
});
