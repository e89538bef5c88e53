/** `schemabus dlq list|show|replay|purge` on a DLQ filled by a failing handler. */
import { type Envelope, NonRetryableError, type Published } from 'schemabus';
import { describe, expect, it } from 'vitest';
import { runDlq } from '../../../cli/commands/dlq.js';
import { runCli } from '../../../cli/program.js';
import { CLEAR_LINE } from '../../../cli/support/progress.js';
import { testLive } from '../../support/live-io.js';
import { waitFor } from '../../support/wait.js';
import { SCHEMA, useOpsFixture } from './ops-fixture.js';

const fixture = useOpsFixture();
const STREAM = 'notification-events';

const request = (template: string) => ({
  notificationId: crypto.randomUUID(),
  campaignId: crypto.randomUUID(),
  recipient: 'ops@example.com',
  channel: 'email' as const,
  template,
});

/**
 * Publishes three requests; email-service fails the "broken-*" ones for good
 * (but handles their replays). Resolves once both are in the DLQ and the
 * third was handled. Only this call's notifications are tracked, so what
 * earlier tests left on the stream does not count.
 */
async function fillDlq() {
  const { newBus } = fixture();
  const bus = newBus();
  await bus.bootstrap();
  const requests = [request('broken-one'), request('fine'), request('broken-two')];
  const ours = new Set(requests.map((r) => r.notificationId));
  const handled: { template: string; replayfor: string | undefined }[] = [];
  bus.subscribe('email-service', {
    'notification.requested': async (event: Envelope<ReturnType<typeof request>>) => {
      if (!ours.has(event.data.notificationId)) return;
      if (event.data.template.startsWith('broken') && event.replayfor === undefined) {
        throw new NonRetryableError(`template ${event.data.template} is missing`);
      }
      handled.push({ template: event.data.template, replayfor: event.replayfor });
    },
  });
  const published: Published[] = [];
  for (const r of requests) published.push(await bus.publish('notification.requested', r));
  const broken = [published[0]!, published[2]!];
  const inDlq = async () => {
    const ids = new Set((await bus.dlq(STREAM).list()).map((l) => l.event?.id));
    return broken.every((p) => ids.has(p.id));
  };
  await waitFor(
    async () => (await inDlq()) && handled.length === 1,
    () => `both broken requests in the DLQ and "fine" handled; handled: ${JSON.stringify(handled)}`,
  );
  return { bus, broken, handled };
}

const base = () => ({ redis: fixture().url, schema: SCHEMA, stream: STREAM });

describe('schemabus dlq', () => {
  it('lists, shows, replays (to the failing group) and purges dead letters', async () => {
    const { context } = fixture();
    const { bus, broken, handled } = await fillDlq();

    const listed = await runDlq({ ...base(), action: 'list' }, context);
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain(`DLQ of ${STREAM}`);
    expect(listed.stdout).toContain('2 dead letters in all');
    expect(listed.stdout).toMatch(/^DLQ ID +GROUP +TYPE +REASON +ATTEMPTS +LAST FAILURE +ERROR$/m);
    const rows = listed.stdout.split('\n').filter((l) => l.includes('email-service'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      /email-service +notification\.requested +non-retryable +1 +\S+ +NonRetryableError: template broken-one is missing/,
    );

    const json = JSON.parse(
      (await runDlq({ ...base(), action: 'list', json: true }, context)).stdout,
    );
    expect(json).toMatchObject({ stream: STREAM, total: 2, more: false, missingIds: [] });
    expect(json.deadLetters.map((l: { event: { id: string } }) => l.event.id)).toEqual(
      broken.map((p) => p.id),
    );
    const [first, second] = json.deadLetters as { id: string; entryId: string }[];
    expect(first?.entryId).toBe(broken[0]?.entryId);

    const shown = await runDlq({ ...base(), action: 'show', id: [first!.id] }, context);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain(`dead letter ${first!.id} of stream ${STREAM}`);
    expect(shown.stdout).toContain('  reason         non-retryable after 1 attempt(s)');
    expect(shown.stdout).toContain('      "template": "broken-one"');
    const notThere = await runDlq({ ...base(), action: 'show', id: ['1-1'] }, context);
    expect(notThere.exitCode).toBe(1);
    expect(notThere.stderr).toContain('no dead letter 1-1');

    const replayed = await runDlq({ ...base(), action: 'replay', id: [first!.id] }, context);
    expect(replayed.stderr).toBe('');
    expect(replayed.exitCode).toBe(0);
    expect(replayed.stdout).toContain(
      `replayed ${first!.id} (notification.requested) for group email-service`,
    );
    await waitFor(
      () => handled.length === 2,
      () => `the replay handled: ${JSON.stringify(handled)}`,
    );
    expect(handled[1]).toEqual({ template: 'broken-one', replayfor: 'email-service' });
    expect(await bus.dlq(STREAM).count()).toBe(1);

    const refused = await runDlq({ ...base(), action: 'purge' }, context);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('purge would delete 1 dead letter');
    expect(refused.stderr).toContain('add --yes');
    expect(await bus.dlq(STREAM).count()).toBe(1);
    const purged = await runDlq(
      { ...base(), action: 'purge', id: [second!.id], yes: true },
      context,
    );
    expect(purged.exitCode).toBe(0);
    expect(purged.stdout).toContain('deleted 1 dead letter');
    expect(await bus.dlq(STREAM).count()).toBe(0);
  });

  it('filters by group and type, and refuses ones the stream does not have', async () => {
    const { context } = fixture();
    await fillDlq();
    const push = await runDlq(
      { ...base(), action: 'list', group: 'push-service', json: true },
      context,
    );
    expect(JSON.parse(push.stdout).deadLetters).toEqual([]);
    const email = await runDlq(
      { ...base(), action: 'list', group: 'email-service', type: 'notification.requested' },
      context,
    );
    expect(email.stdout).toContain('2 matching group email-service, type notification.requested');
    const badGroup = await runDlq({ ...base(), action: 'list', group: 'audit-service' }, context);
    expect(badGroup.exitCode).toBe(2);
    expect(badGroup.stderr).toContain('stream notification-events has no group "audit-service"');
    const badType = await runDlq({ ...base(), action: 'list', type: 'campaign.created' }, context);
    expect(badType.exitCode).toBe(2);
    const all = await runDlq(
      { ...base(), action: 'replay', group: 'email-service', json: true },
      context,
    );
    expect(JSON.parse(all.stdout).replayed).toHaveLength(2);
  });

  it('on a terminal, replay counts its progress and purge shows it is at work, on stderr; with --json or off a terminal neither shows anything', async () => {
    const { context } = fixture();
    const { bus } = await fillDlq();
    const total = await bus.dlq(STREAM).count();
    const tty = testLive({ stderr: true });
    const replayed = await runDlq({ ...base(), action: 'replay' }, { ...context, live: tty.live });
    expect(replayed.exitCode).toBe(0);
    expect(replayed.stderr).toBe('');
    expect(tty.err()).toContain(`${CLEAR_LINE}replaying ${STREAM} 0/${total} (0%)`);
    expect(tty.err()).toContain(`${CLEAR_LINE}replaying ${STREAM} ${total}/${total} (100%)`);
    expect(tty.err().endsWith(CLEAR_LINE)).toBe(true);
    // One consumer of email-service at a time: each fill's own subscriber must get its requests.
    await bus.close();

    const refill = await fillDlq();
    const purging = testLive({ stderr: true });
    const purged = await runDlq(
      { ...base(), action: 'purge', yes: true },
      { ...context, live: purging.live },
    );
    expect(purged.stdout).toMatch(/^deleted \d+ dead letters? from /);
    expect(
      purging.err().startsWith(`${CLEAR_LINE}purging the dead letters of ${STREAM}... 0 s`),
    ).toBe(true);
    expect(purging.err().endsWith(CLEAR_LINE)).toBe(true);
    await refill.bus.close();

    for (const [live, json] of [
      [testLive({ stderr: true }), true],
      [testLive({ stderr: false }), false],
    ] as const) {
      const filled = await fillDlq();
      const quiet = await runDlq(
        { ...base(), action: 'replay', json },
        { ...context, live: live.live },
      );
      expect(quiet.exitCode).toBe(0);
      expect(live.err()).toBe('');
      await filled.bus.close();
    }
  });

  it('parses its arguments through the CLI (repeatable --id, --json)', async () => {
    const { context, url } = fixture();
    const { bus } = await fillDlq();
    const ids = (await bus.dlq(STREAM).list()).map((l) => l.id);
    let stdout = '';
    let stderr = '';
    const io = { out: (t: string) => (stdout += t), err: (t: string) => (stderr += t) };
    const args = ['dlq', 'list', STREAM, '--redis', url, '--schema', SCHEMA, '--json'];
    const code = await runCli([...args, '--id', ids[0]!, '--id', ids[1]!], io, context);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).deadLetters.map((l: { id: string }) => l.id)).toEqual(
      ids.slice(0, 2),
    );
    expect(await runCli(['dlq', 'drop', STREAM, '--redis', url], io, context)).toBe(2);
    await bus.dlq(STREAM).purge();
  });

  it('refuses --id without a value or with an empty one (exit 2) instead of acting on every dead letter', async () => {
    const { context, url } = fixture();
    const { bus } = await fillDlq();
    const before = await bus.dlq(STREAM).count();
    expect(before).toBeGreaterThanOrEqual(2);
    const io = { out: () => {}, err: (t: string) => (stderr += t) };
    let stderr = '';
    const args = (action: string) => ['dlq', action, STREAM, '--redis', url, '--schema', SCHEMA];
    for (const tail of [
      ['--yes', '--id'],
      ['--id', '--yes'],
      ['--id', '', '--yes'],
      ['--id', ' '],
    ]) {
      for (const action of ['purge', 'replay', 'show']) {
        stderr = '';
        expect(await runCli([...args(action), ...tail], io, context)).toBe(2);
        expect(stderr).toContain('--id needs a dead letter id');
      }
    }
    expect(await bus.dlq(STREAM).count()).toBe(before);
    await bus.dlq(STREAM).purge();
  });

  it('shows an undecodable dead letter field by field, as stored', async () => {
    const { context, newBus } = fixture();
    const bus = newBus();
    await bus.bootstrap();
    bus.subscribe('email-service', { 'notification.requested': async () => {} });
    const entryId = await bus.appendRaw(STREAM, {
      type: 'notification.requested',
      v1: '{"id":"raw-1","data":{"template": broken',
      origin: 'redis-cli',
    });
    const letter = await waitFor(
      async () =>
        (await bus.dlq(STREAM).list({ group: 'email-service' })).find((l) => l.entryId === entryId),
      () => 'the undecodable entry in the DLQ',
    );
    const shown = await runDlq({ ...base(), action: 'show', id: [letter.id] }, context);
    expect(shown.exitCode).toBe(0);
    expect(shown.stdout).toContain('  reason         undecodable after 1 attempt(s)');
    expect(shown.stdout).toContain('  event          notification.requested (undecodable)');
    expect(shown.stdout).toContain('    v1: {"id":"raw-1","data":{"template": broken');
    expect(shown.stdout).toContain('    origin: redis-cli');
    await bus.dlq(STREAM).purge();
  });
});
