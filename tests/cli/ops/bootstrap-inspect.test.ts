/** `schemabus bootstrap` and `schemabus inspect` against a real redis-server. */
import { describe, expect, it } from 'vitest';
import { runBootstrap } from '../../../cli/commands/bootstrap.js';
import { runInspect } from '../../../cli/commands/inspect.js';
import { CLEAR_LINE } from '../../../cli/support/progress.js';
import { resolveRedisUrl } from '../../../cli/support/redis-session.js';
import { testLive } from '../../support/live-io.js';
import { groupsOf, SCHEMA, useOpsFixture } from './ops-fixture.js';

const fixture = useOpsFixture();

const campaign = () => ({
  campaignId: crypto.randomUUID(),
  name: 'Ops test',
  budget: { amount: 100, currency: 'EUR' },
  ownerId: crypto.randomUUID(),
  createdAt: new Date().toISOString(),
});

describe('schemabus bootstrap', () => {
  it('creates every stream and group of the catalogue, then finds them', async () => {
    const { url, context, admin, catalog } = fixture();
    const first = await runBootstrap({ redis: url, schema: SCHEMA }, context);
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('bootstrap done: created 4 streams and 9 groups');
    expect(first.stdout).toContain(
      'group analytics-service: created, reads the stream from its start',
    );
    for (const stream of Object.values(catalog.streams)) {
      const groups = await groupsOf(admin, stream.key);
      expect(groups.map((g) => g.name).sort(), stream.name).toEqual(
        Object.keys(stream.groups).sort(),
      );
    }
    const second = await runBootstrap({ redis: url, schema: SCHEMA, json: true }, context);
    expect(second.exitCode).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.namespace).toBe(catalog.namespace);
    expect(report.streams.map((s: { status: string }) => s.status)).toEqual([
      'found',
      'found',
      'found',
      'found',
    ]);
    const statuses = report.streams.flatMap((s: { groups: { status: string }[] }) =>
      s.groups.map((g) => g.status),
    );
    expect(statuses).toEqual(Array(9).fill('found'));
  });
  it('on a terminal shows that it is at work on stderr, and nothing with --json', async () => {
    const { url, context } = fixture();
    const tty = testLive({ stderr: true });
    const outcome = await runBootstrap(
      { redis: url, schema: SCHEMA },
      { ...context, live: tty.live },
    );
    expect(outcome.exitCode).toBe(0);
    expect(tty.err().startsWith(`${CLEAR_LINE}bootstrap of 4 streams and 9 groups... 0 s`)).toBe(
      true,
    );
    expect(tty.err().endsWith(CLEAR_LINE)).toBe(true);
    const json = testLive({ stderr: true });
    await runBootstrap({ redis: url, schema: SCHEMA, json: true }, { ...context, live: json.live });
    expect(json.err()).toBe('');
  });
});

describe('schemabus inspect', () => {
  it('reports lengths, groups, pending and lag as JSON', async () => {
    const { url, context, newBus } = fixture();
    await runBootstrap({ redis: url, schema: SCHEMA }, context);
    const bus = newBus();
    for (let i = 0; i < 3; i++) await bus.publish('campaign.created', campaign());
    const outcome = await runInspect({ redis: url, schema: SCHEMA, json: true }, context);
    expect(outcome.stderr).toBe('');
    expect(outcome.exitCode).toBe(0);
    const report = JSON.parse(outcome.stdout);
    expect(report.findings).toEqual([]);
    expect(report.streams.map((s: { name: string }) => s.name)).toEqual([
      'campaign-events',
      'notification-events',
      'system-events',
      'timer-events',
    ]);
    const events = report.streams[0];
    expect(events).toMatchObject({ length: 3, dlqLength: 0, missingGroups: [] });
    expect(events.groups).toHaveLength(3);
    for (const group of events.groups) {
      expect(group).toMatchObject({
        consumers: [],
        pending: 0,
        lag: 3,
        laggingPastRetention: false,
      });
    }
  });

  it('prints a table, and exits 1 listing findings (missing group, dead letters)', async () => {
    const { url, context, admin, key } = fixture();
    await runBootstrap({ redis: url, schema: SCHEMA }, context);
    await admin.xgroup('DESTROY', key('system-events'), 'monitoring-service');
    await admin.xadd(`${key('timer-events')}:dlq`, '*', 'dlq:group', 'audit-service');
    const outcome = await runInspect({ redis: url, schema: SCHEMA }, context);
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout).toMatch(
      /^STREAM +LENGTH +DLQ +GROUP +CONSUMERS +PENDING +OLDEST +LAG +RETENTION$/m,
    );
    expect(outcome.stdout).toMatch(
      /^campaign-events +\d+ +0 +analytics-service +0 +0 +- +\d+ +ok$/m,
    );
    expect(outcome.stdout).toMatch(
      /^system-events +\d+ +0 +monitoring-service +- +- +- +- +missing: run schemabus bootstrap$/m,
    );
    expect(outcome.stdout).toContain(
      '1 dead letter in timer-events: see `schemabus dlq list timer-events`',
    );
    expect(outcome.stdout).toContain(
      'group monitoring-service of system-events does not exist on Redis',
    );
    await admin.del(`${key('timer-events')}:dlq`);
    await runBootstrap({ redis: url, schema: SCHEMA }, context);
  });
});

describe('connection and usage errors', () => {
  it('exits 2 naming what to do when Redis does not answer, password redacted', async () => {
    const { context } = fixture();
    const outcome = await runInspect(
      { redis: 'redis://ops:hunter2@127.0.0.1:1', schema: SCHEMA },
      context,
    );
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('cannot reach Redis at redis://***@127.0.0.1:1');
    expect(outcome.stderr).toContain('--redis URL or REDIS_URL');
    expect(outcome.stderr).not.toContain('hunter2');
  });

  it('takes the URL from --redis, else REDIS_URL, else says how to give one', () => {
    expect(resolveRedisUrl('redis://a:1', { REDIS_URL: 'redis://b:2' })).toEqual({
      url: 'redis://a:1',
    });
    expect(resolveRedisUrl(undefined, { REDIS_URL: 'redis://b:2' })).toEqual({
      url: 'redis://b:2',
    });
    expect(resolveRedisUrl(undefined, {})).toEqual({
      error: 'no Redis to talk to: pass --redis redis://host:port, or set REDIS_URL',
    });
  });

  it('says what to change in a --redis URL with a query parameter the bus does not take, never "give ioredis options"', async () => {
    const { context } = fixture();
    for (const url of [
      'redis://127.0.0.1:6379/?timeout=5',
      'redis+cluster://127.0.0.1:7000,127.0.0.1:7001?family=6',
    ]) {
      const outcome = await runBootstrap({ redis: url, schema: SCHEMA }, context);
      expect(outcome.exitCode).toBe(2);
      expect(outcome.stderr).toMatch(
        /--redis: the query parameter "(timeout|family)" is not supported/,
      );
      expect(outcome.stderr).toContain('drop it from --redis (or REDIS_URL)');
      expect(outcome.stderr).not.toContain('ioredis');
    }
    expect(resolveRedisUrl('redis://127.0.0.1:6379/?family=6', {})).toEqual({
      url: 'redis://127.0.0.1:6379/?family=6',
    });
  });

  it('exits 2 when the catalogue cannot be read', async () => {
    const { url, context } = fixture();
    const outcome = await runBootstrap({ redis: url, schema: 'missing.yaml' }, context);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('cannot read missing.yaml: no such file');
  });
});
