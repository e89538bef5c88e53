/** `schemabus tail`: follows a stream with XREAD only — no group, no pending entry, no ack. */
import type { Published } from 'schemabus';
import { describe, expect, it } from 'vitest';
import { runTail } from '../../../cli/commands/tail.js';
import { runCli } from '../../../cli/program.js';
import { testLive } from '../../support/live-io.js';
import { waitFor } from '../../support/wait.js';
import { groupsOf, SCHEMA, useOpsFixture } from './ops-fixture.js';

const fixture = useOpsFixture();

const campaign = () => ({
  campaignId: crypto.randomUUID(),
  name: 'Tail test',
  budget: { amount: 100, currency: 'EUR' },
  ownerId: crypto.randomUUID(),
  createdAt: new Date().toISOString(),
});

const health = (component: string) => ({
  component,
  healthy: true,
  checkedAt: new Date().toISOString(),
});

describe('schemabus tail', () => {
  it('prints --count entries from --from 0, decoded, and leaves groups untouched', async () => {
    const { url, context, admin, key, newBus } = fixture();
    const bus = newBus();
    await bus.bootstrap();
    const published: Published[] = [];
    for (const name of ['db', 'cache', 'queue']) {
      published.push(await bus.publish('system.health-checked', health(name)));
    }
    const before = await groupsOf(admin, key('system-events'));
    // Command counters tell what tail sent; only on a server this file owns.
    const ownServer = fixture().server.kind === 'local';
    if (ownServer) await admin.config('RESETSTAT');
    const outcome = await runTail(
      { redis: url, schema: SCHEMA, streams: ['system-events'], from: '0', count: 2 },
      context,
    );
    expect(outcome.exitCode).toBe(0);
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((line, i) => {
      expect(line.startsWith(`${published[i]?.entryId}  `)).toBe(true);
      expect(line).toContain(`system.health-checked  ${published[i]?.id}`);
    });
    expect(lines[1]).toContain('"component":"cache"');
    expect(outcome.stderr).toContain('tail: 2 entries of system-events');
    expect(await groupsOf(admin, key('system-events'))).toEqual(before);
    expect(before.map((g) => [g.name, g.pending, g.consumers])).toEqual([
      ['monitoring-service', 0, 0],
    ]);
  });

  it('with --json, prints one envelope per line', async () => {
    const { url, context, admin, key, newBus } = fixture();
    const bus = newBus();
    const sent = await bus.publish('system.health-checked', health('json'));
    const count = await admin.xlen(key('system-events'));
    const outcome = await runTail(
      { redis: url, schema: SCHEMA, streams: ['system-events'], from: '0', count, json: true },
      context,
    );
    const lines = outcome.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({
      entryId: sent.entryId,
      envelope: { id: sent.id, type: 'system.health-checked', data: { component: 'json' } },
    });
  });

  it('from $ waits for new entries; stops when its signal aborts', async () => {
    const { url, context, admin, newBus } = fixture();
    const bus = newBus();
    const term = testLive();
    const lines = () =>
      term
        .out()
        .split('\n')
        .filter((l) => l !== '');
    const tail = runTail(
      { redis: url, schema: SCHEMA, streams: ['system-events'] },
      { ...context, live: term.live },
    );
    await waitFor(
      async () => /name=schemabus-cli:tail.*cmd=xread/.test(String(await admin.client('LIST'))),
      () => 'the tail reader to block in XREAD',
    );
    const sent = await bus.publish('system.health-checked', health('live'));
    await waitFor(
      () => lines().length === 1,
      () => `one line, got ${JSON.stringify(lines())}`,
    );
    term.stop();
    const outcome = await tail;
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toBe('');
    expect(lines()[0]).toContain(sent.id);
    expect(outcome.stderr).toContain('tail: 1 entry of system-events');
  });

  it('exits 2 on an unknown stream or a bad --from', async () => {
    const { url, context } = fixture();
    const unknown = await runTail(
      { redis: url, schema: SCHEMA, streams: ['system-event'] },
      context,
    );
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no stream "system-event" in the catalogue');
    const badFrom = await runTail(
      { redis: url, schema: SCHEMA, streams: ['system-events'], from: 'now' },
      context,
    );
    expect(badFrom.exitCode).toBe(2);
    expect(badFrom.stderr).toContain('--from must be $, 0 or an entry id');
    const none = await runTail({ redis: url, schema: SCHEMA }, context);
    expect(none.stderr).toContain(
      'name the streams to follow, or --all; streams: campaign-events, notification-events, system-events, timer-events',
    );
    const both = await runTail(
      { redis: url, schema: SCHEMA, streams: ['system-events'], all: true },
      context,
    );
    expect(both.stderr).toContain('give stream names or --all, not both');
    const badType = await runTail(
      { redis: url, schema: SCHEMA, streams: ['system-events'], type: ['campaign.created'] },
      context,
    );
    expect(badType.exitCode).toBe(2);
    expect(badType.stderr).toContain(
      'no event type "campaign.created" on system-events; its types: system.error-reported, system.health-checked',
    );
  });

  it('follows several streams at once, only the types asked for, each line naming its stream', async () => {
    const { url, context, newBus } = fixture();
    const bus = newBus();
    // Entries after this time only: earlier tests of this file wrote to the same streams.
    const since = String(Date.now() - 1);
    const wanted = [
      await bus.publish('campaign.created', campaign()),
      await bus.publish('system.health-checked', health('several')),
    ];
    await bus.publish('system.error-reported', {
      component: 'db',
      message: 'skipped by the filter',
      severity: 'warning',
      reportedAt: new Date().toISOString(),
    });
    wanted.push(await bus.publish('campaign.created', campaign()));
    const outcome = await runTail(
      {
        redis: url,
        schema: SCHEMA,
        streams: ['system-events', 'campaign-events'],
        type: ['campaign.created', 'system.health-checked'],
        from: since,
        count: 3,
      },
      context,
    );
    expect(outcome.exitCode).toBe(0);
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const published of wanted) {
      const line = lines.find((l) => l.includes(published.id));
      expect(line, published.id).toMatch(
        new RegExp(`^${published.stream}  ${published.entryId}  \\S+  ${published.type}  `),
      );
    }
    // Entries of one stream keep their order.
    const campaigns = lines.filter((l) => l.startsWith('campaign-events  '));
    expect(campaigns.map((l) => l.split('  ')[1])).toEqual([
      wanted[0]!.entryId,
      wanted[2]!.entryId,
    ]);
    expect(outcome.stderr).toContain(
      'tail: 3 entries of type campaign.created, system.health-checked of 2 streams (system-events, campaign-events)',
    );
  });

  it('parses several streams and repeated --type through the CLI', async () => {
    const { url, context, newBus } = fixture();
    const bus = newBus();
    const since = String(Date.now() - 1);
    const sent = await bus.publish('system.health-checked', health('cli'));
    // The lines go to the terminal as they arrive, the summary to the CLI's stderr.
    const term = testLive();
    let stderr = '';
    const io = { out: () => {}, err: (t: string) => (stderr += t) };
    const args = ['tail', '--type', 'system.health-checked', 'system-events', 'timer-events'];
    const code = await runCli(
      [
        ...args,
        '--type',
        'timer.fired',
        '--from',
        since,
        '--count',
        '1',
        '--redis',
        url,
        '--schema',
        SCHEMA,
      ],
      io,
      { ...context, live: term.live },
    );
    expect(code).toBe(0);
    expect(term.out()).toContain(`system-events  ${sent.entryId}`);
    expect(stderr).toContain(
      'of type system.health-checked, timer.fired of 2 streams (system-events, timer-events)',
    );
  });

  it('with --all follows every stream; --json lines carry the stream', async () => {
    const { url, context, newBus } = fixture();
    const bus = newBus();
    const since = String(Date.now() - 1);
    const sent = [
      await bus.publish('system.health-checked', health('all')),
      await bus.publish('campaign.created', campaign()),
    ];
    const outcome = await runTail(
      { redis: url, schema: SCHEMA, all: true, from: since, count: 2, json: true },
      context,
    );
    const docs = outcome.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { stream: string; entryId: string });
    expect(docs.map((d) => [d.stream, d.entryId]).sort()).toEqual(
      sent.map((p) => [p.stream, p.entryId]).sort(),
    );
    expect(outcome.stderr).toContain(
      'of 4 streams (campaign-events, notification-events, system-events, timer-events)',
    );
  });
});
