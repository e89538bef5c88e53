import { describe, expect, it } from 'vitest';
import { runValidate } from '../../cli/commands/validate.js';
import { REPO_ROOT } from './project-copy.js';

const DIR = 'tests/cli/fixtures';
const context = { cwd: REPO_ROOT };

describe('validate', () => {
  it('exits 0 on envelopes, { type, data } and arrays that match the catalogue', async () => {
    const files = ['envelope.json', 'plain.json', 'batch.json'].map((f) => `${DIR}/valid/${f}`);
    const result = await runValidate({ files }, context);
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toBe(
      [
        `ok    ${DIR}/valid/envelope.json (1 event)`,
        `ok    ${DIR}/valid/plain.json (1 event)`,
        `ok    ${DIR}/valid/batch.json (2 events)`,
        '3 files: 3 valid, 0 invalid.',
        '',
      ].join('\n'),
    );
  });

  it('exits 1 listing every failing path of the payload', async () => {
    const result = await runValidate({ files: [`${DIR}/invalid/bad-payload.json`] }, context);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      `FAIL  ${DIR}/invalid/bad-payload.json (1 event)`,
      '  campaign.created /data/name: is required',
      '  campaign.created /data/discount: is not in the schema (unknown fields are rejected on publish)',
      '  campaign.created /data/campaignId: must match format "uuid" (a UUID such as "6f1c2d3e-0000-4000-8000-000000000001")',
      '  campaign.created /data/budget/amount: must be >= 0',
      '  campaign.created /data/budget/currency: must match pattern "^[A-Z]{3}$"',
      '1 file: 0 valid, 1 invalid.',
      '',
    ]);
  });

  it('accepts an envelope without time and datacontenttype (optional in CloudEvents 1.0), and checks them when present', async () => {
    const minimal = await runValidate({ files: [`${DIR}/valid/envelope-minimal.json`] }, context);
    expect(minimal.stdout).toBe(
      [
        `ok    ${DIR}/valid/envelope-minimal.json (1 event)`,
        '1 file: 1 valid, 0 invalid.',
        '',
      ].join('\n'),
    );
    expect(minimal).toMatchObject({ exitCode: 0, stderr: '' });
    const result = await runValidate(
      { files: [`${DIR}/invalid/bad-optional-attributes.json`] },
      context,
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      '[0] campaign.deleted /datacontenttype: must be "application/json"',
    );
    expect(result.stdout).toContain('[1] campaign.deleted /time: must match format "date-time"');
    expect(result.stdout).toContain('[2] campaign.deleted /time: must match format "date-time"');
    expect(result.stdout).not.toContain('is required');
  });

  it('checks envelopes, event types and the { type, data } shape, item by item', async () => {
    const result = await runValidate({ files: [`${DIR}/invalid/bad-batch.json`] }, context);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      '[0] campaign.creatd /type: is not an event type of the catalogue: "campaign.creatd" (did you mean "campaign.created"?)',
    );
    expect(result.stdout).toContain('[1] campaign.deleted /specversion: must be "1.0"');
    expect(result.stdout).toContain('[1] campaign.deleted /time: must match format "date-time"');
    expect(result.stdout).toContain('[1] campaign.deleted /priority: is not in the schema');
    expect(result.stdout).toContain('[2] timer.cancelled /payload: is not allowed');
    expect(result.stdout).toContain('[2] timer.cancelled /data: is required');
  });

  it('reads stored-format messages {"v":1,"type",...} as the envelopes they stand for', async () => {
    const valid = await runValidate({ files: [`${DIR}/valid/message-v1.json`] }, context);
    expect(valid).toMatchObject({ exitCode: 0, stderr: '' });
    const result = await runValidate({ files: [`${DIR}/invalid/bad-messages.json`] }, context);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('[0] campaign.deleted /source: is required');
    expect(result.stdout).toContain('[0] campaign.deleted /time: must match format "date-time"');
    expect(result.stdout).toContain(
      '[1] campaign.deleted /v: must be 1 (stored format 1 is the only one this version knows), got 2',
    );
  });

  it('reports a file that is not JSON as invalid', async () => {
    const result = await runValidate(
      { files: [`${DIR}/invalid/not-json.json`, `${DIR}/valid/plain.json`] },
      context,
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /^FAIL {2}tests\/cli\/fixtures\/invalid\/not-json\.json: not valid JSON: /,
    );
    expect(result.stdout).toContain('2 files: 1 valid, 1 invalid.');
  });

  it('prints a JSON report with --json', async () => {
    const result = await runValidate(
      { files: [`${DIR}/valid/plain.json`, `${DIR}/invalid/bad-payload.json`], json: true },
      context,
    );
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      ok: false,
      schema: 'events.schema.yaml',
      files: [
        {
          file: `${DIR}/valid/plain.json`,
          ok: true,
          events: [{ index: null, type: 'timer.fired', issues: [] }],
        },
        { file: `${DIR}/invalid/bad-payload.json`, ok: false },
      ],
    });
    expect(report.files[1].events[0].issues).toContainEqual({
      path: '/data/name',
      message: 'is required',
    });
  });

  it('exits 2 when a file cannot be read', async () => {
    const result = await runValidate({ files: [`${DIR}/missing.json`] }, context);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('cannot read tests/cli/fixtures/missing.json: no such file');
  });
});
