/** `schemabus tail`: follows a stream with XREAD only — no group, no pending entry, no ack. */
import type { Published } from 'schemabus';
import { describe, expect, it } from 'vitest';
import { runTail } from '../../../cli/commands/tail.js';
import { waitFor } from '../../support/wait.js';
import { groupsOf, SCHEMA, useOpsFixture } from './ops-fixture.js';

const fixture = useOpsFixture();

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
      { redis: url, schema: SCHEMA, stream: 'system-events', from: '0', count: 2 },
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
      { redis: url, schema: SCHEMA, stream: 'system-events', from: '0', count, json: true },
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
    const lines: string[] = [];
    const controller = new AbortController();
    const tail = runTail({ redis: url, schema: SCHEMA, stream: 'system-events' }, context, {
      write: (line) => lines.push(line),
      signal: controller.signal,
    });
    await waitFor(
      async () => /name=schemabus-cli:tail.*cmd=xread/.test(String(await admin.client('LIST'))),
      () => 'the tail reader to block in XREAD',
    );
    const sent = await bus.publish('system.health-checked', health('live'));
    await waitFor(
      () => lines.length === 1,
      () => `one line, got ${JSON.stringify(lines)}`,
    );
    controller.abort();
    const outcome = await tail;
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toBe('');
    expect(lines[0]).toContain(sent.id);
    expect(outcome.stderr).toContain('tail: 1 entry of system-events');
  });

  it('exits 2 on an unknown stream or a bad --from', async () => {
    const { url, context } = fixture();
    const unknown = await runTail({ redis: url, schema: SCHEMA, stream: 'system-event' }, context);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no stream "system-event" in the catalogue');
    const badFrom = await runTail(
      { redis: url, schema: SCHEMA, stream: 'system-events', from: 'now' },
      context,
    );
    expect(badFrom.exitCode).toBe(2);
    expect(badFrom.stderr).toContain('--from must be $, 0 or an entry id');
  });
});
