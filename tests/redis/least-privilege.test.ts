/**
 * The user `schemabus acl` prints can run everything: a fresh ACL user made
 * from `schemabus acl --json` runs a whole workflow of the example
 * catalogue — bootstrap (API and CLI), every kind of publish (stream-only,
 * stream + realtime, realtime-only, publishBatch of both kinds, idempotent),
 * subscriptions with a retried failure and a NonRetryableError to the DLQ,
 * DLQ list/show/replay/purge (API and CLI), realtime with params (SUBSCRIBE)
 * and without (PSUBSCRIBE, the literal pattern), inspect and tail (API and
 * CLI), on database 1 (SELECT) — and Redis refuses nothing: its ACL LOG has
 * no entry for the user, nothing is logged at warn or error, and nothing
 * reaches the console. A second test covers the one command the workflow
 * does not send: the reader watchdog's CLIENT KILL of a hung reader.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  type Envelope,
  NonRetryableError,
  type Published,
  RedisEventBus,
  type Subscription,
} from 'schemabus';
import { afterEach, beforeEach, expect, it, type MockInstance, vi } from 'vitest';
import { type AclReport, runAcl } from '../../cli/commands/acl.js';
import { runBootstrap } from '../../cli/commands/bootstrap.js';
import { runDlq } from '../../cli/commands/dlq.js';
import { runInspect } from '../../cli/commands/inspect.js';
import { runTail } from '../../cli/commands/tail.js';
import { catalog } from '../../generated/catalog.js';
import { REPO_ROOT } from '../cli/project-copy.js';
import { captureLogger } from '../support/capture-logger.js';
import { onCleanup, useRedisServer } from '../support/redis-bus.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();
/** The CLI reads the repository's events.schema.yaml (generated/catalog.ts is its catalogue). */
const context = { cwd: REPO_ROOT };

let consoleCalls: MockInstance[] = [];
beforeEach(() => {
  consoleCalls = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation(() => undefined),
  );
});
afterEach(() => {
  const printed = consoleCalls.flatMap((spy) => spy.mock.calls.map((c) => c.join(' ')));
  for (const spy of consoleCalls) spy.mockRestore();
  expect(printed, 'nothing reaches the console').toEqual([]);
});

const now = () => new Date().toISOString();
const money = { amount: 1000, currency: 'EUR' };
const created = (name: string) => ({
  campaignId: randomUUID(),
  name,
  budget: money,
  ownerId: randomUUID(),
  createdAt: now(),
});
const statusChanged = (campaignId: string) => ({
  campaignId,
  from: 'draft',
  to: 'active',
  changedAt: now(),
});
const alert = (message: string) => ({
  alertId: randomUUID(),
  severity: 'warning',
  message,
  raisedAt: now(),
});
const request = (template: string) => ({
  notificationId: randomUUID(),
  campaignId: randomUUID(),
  recipient: 'ops@example.com',
  channel: 'email',
  template,
});

/** ACL LOG entries (refusals) of `user`, as records. */
async function refusalsOf(admin: Redis, user: string): Promise<Record<string, unknown>[]> {
  const rows = (await admin.call('ACL', 'LOG')) as unknown[][];
  return rows
    .map((row) => {
      const record: Record<string, unknown> = {};
      for (let i = 0; i + 1 < row.length; i += 2) record[String(row[i])] = row[i + 1];
      return record;
    })
    .filter((r) => r.username === user);
}

/** A fresh user made from `schemabus acl --json` (deleted after the test), and an admin on database 1. */
async function leastPrivilegeUser() {
  const printed = await runAcl({ json: true, user: `sb-${randomUUID().slice(0, 8)}` }, context);
  expect(printed.exitCode).toBe(0);
  const acl = JSON.parse(printed.stdout) as AclReport;
  // Database 1 holds the test's keys (the URL's /1 makes ioredis SELECT).
  const admin = new Redis(`${server().url}/1`, { maxRetriesPerRequest: 3 });
  onCleanup(async () => {
    await admin.call('ACL', 'DELUSER', acl.user);
    const keys = await admin.keys(`{${catalog.namespace}:*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });
  await admin.call('ACL', 'SETUSER', ...acl.args);
  await admin.call('ACL', 'LOG', 'RESET');
  /** The user's URL on `port` (the server's by default). */
  const urlOn = (port = server().port) =>
    `redis://${acl.user}:${encodeURIComponent(acl.password)}@127.0.0.1:${port}/1`;
  return { acl, admin, urlOn };
}

it('runs a whole workflow as the least-privilege user, and Redis refuses nothing', async () => {
  const { acl, admin, urlOn } = await leastPrivilegeUser();
  const url = urlOn();
  const logger = captureLogger();
  const buses: RedisEventBus[] = [];
  const subscriptions: Subscription[] = [];
  const newBus = (options: { idempotentPublish?: boolean } = {}) => {
    // A trim check on every publish, so retention (trim.lua) runs as the user too.
    const bus = new RedisEventBus({
      catalog,
      redis: url,
      logger,
      retention: { everyPublishes: 1 },
      ...options,
    });
    buses.push(bus);
    return bus;
  };
  onCleanup(async () => {
    for (const bus of buses) await bus.close({ timeoutMs: 100 }).catch(() => undefined);
  });

  // Bootstrap: the CLI, then the API (finds everything).
  const bootstrapped = await runBootstrap({ redis: url, json: true }, context);
  expect(bootstrapped).toMatchObject({ exitCode: 0, stderr: '' });
  const bus = newBus();
  await bus.waitUntilReady();
  const report = await bus.bootstrap();
  expect(report.streams.every((s) => s.status === 'found')).toBe(true);

  // Consumers: analytics fails one event once (a retry), email dead-letters the "broken-*" ones.
  const analytics: { id: string; attempt: number }[] = [];
  const failedOnce = new Set<string>();
  const record = async (event: Envelope, ctx: { attempt: number }) => {
    analytics.push({ id: event.id, attempt: ctx.attempt });
  };
  subscriptions.push(
    bus.subscribe(
      'analytics-service',
      {
        'campaign.created': async (event: Envelope<{ name: string }>, ctx) => {
          if (event.data.name === 'retry me' && !failedOnce.has(event.id)) {
            failedOnce.add(event.id);
            throw new Error('analytics store briefly away');
          }
          await record(event, ctx);
        },
        'campaign.updated': record,
        'campaign.status-changed': record,
        'campaign.budget-exhausted': record,
        'campaign.deleted': record,
      },
      { consumer: 'analytics-1' },
    ),
  );
  const emailed: { template: string; replayfor: string | undefined }[] = [];
  subscriptions.push(
    bus.subscribe(
      'email-service',
      {
        'notification.requested': async (event: Envelope<{ template: string }>) => {
          if (event.data.template.startsWith('broken') && event.replayfor === undefined) {
            throw new NonRetryableError(`template ${event.data.template} is missing`);
          }
          emailed.push({ template: event.data.template, replayfor: event.replayfor });
        },
      },
      { consumer: 'email-1' },
    ),
  );

  // Realtime: one campaign (SUBSCRIBE), every campaign (PSUBSCRIBE), a channel without params.
  const campaignA = randomUUID();
  const campaignB = randomUUID();
  const ofA: Envelope[] = [];
  const ofAll: Envelope[] = [];
  const alerts: Envelope[] = [];
  const unsubscribeA = await bus.onRealtime('campaign-status', { campaignId: campaignA }, (e) => {
    ofA.push(e);
  });
  const unsubscribeAll = await bus.onRealtime('campaign-status', {}, (e) => {
    ofAll.push(e);
  });
  await bus.onRealtime('system-alerts', {}, (e) => {
    alerts.push(e);
  });

  // Every kind of publish.
  const stored: Published[] = [];
  stored.push(await bus.publish('campaign.created', created('retry me')));
  stored.push(await bus.publish('campaign.status-changed', statusChanged(campaignA)));
  stored.push(await bus.publish('campaign.status-changed', statusChanged(campaignB)));
  const alerted = await bus.publish('system.alert', alert('disk almost full'));
  expect(alerted.entryId).toBeUndefined();
  // A batch of stream-only events (append-batch.lua) and a mixed one (a pipeline).
  stored.push(
    ...(await bus.publishBatch(
      ['one', 'two', 'three'].map((name) => ({ type: 'campaign.created', data: created(name) })),
    )),
  );
  const mixed = await bus.publishBatch([
    { type: 'campaign.created', data: created('mixed') },
    { type: 'campaign.status-changed', data: statusChanged(campaignA) },
    { type: 'system.alert', data: alert('mixed batch') },
  ]);
  stored.push(mixed[0]!, mixed[1]!);
  // Idempotent publishes (publish-once.lua): stored once, realtime once.
  const idempotent = newBus({ idempotentPublish: true });
  const onceId = randomUUID();
  const first = await idempotent.publish('campaign.created', created('once'), { id: onceId });
  const again = await idempotent.publish('campaign.created', created('once'), { id: onceId });
  expect(again.entryId).toBe(first.entryId);
  stored.push(first);
  stored.push(await idempotent.publish('campaign.status-changed', statusChanged(campaignB)));
  const requests = [request('broken-one'), request('fine'), request('broken-two')];
  const requested: Published[] = [];
  for (const r of requests) requested.push(await bus.publish('notification.requested', r));

  // Handled: every campaign event by analytics, "retry me" on its second attempt.
  await waitFor(
    () => stored.every((p) => analytics.some((a) => a.id === p.id)),
    () => `analytics to handle ${stored.length} events; handled ${JSON.stringify(analytics)}`,
  );
  expect(analytics.find((a) => a.id === stored[0]!.id)?.attempt).toBe(2);
  expect(analytics.filter((a) => a.id === first.id)).toHaveLength(1);
  // Realtime: A's channel has A's events, the pattern every status change, alerts both alerts.
  const statusIds = stored.filter((p) => p.type === 'campaign.status-changed').map((p) => p.id);
  await collect(ofAll, statusIds.length);
  expect(ofAll.map((e) => e.id).sort()).toEqual([...statusIds].sort());
  await collect(ofA, 2);
  expect(ofA.every((e) => (e.data as { campaignId: string }).campaignId === campaignA)).toBe(true);
  await collect(alerts, 2);

  // DLQ through the API: both broken requests are there; replay one to email-service.
  const dlq = bus.dlq('notification-events');
  await waitFor(
    async () => (await dlq.count()) === 2 && emailed.length === 1,
    () => `two dead letters and "fine" emailed; emailed ${JSON.stringify(emailed)}`,
  );
  const letters = await dlq.list({ group: 'email-service' });
  expect(letters.map((l) => l.event?.id)).toEqual([requested[0]!.id, requested[2]!.id]);
  expect(letters[0]).toMatchObject({ reason: 'non-retryable', group: 'email-service' });
  await dlq.replay(letters[0]!.id);
  // ...and through the CLI: list, show, replay the other.
  const dlqArgs = { redis: url, stream: 'notification-events' };
  const listed = await runDlq({ ...dlqArgs, action: 'list', json: true }, context);
  expect(listed).toMatchObject({ exitCode: 0, stderr: '' });
  expect(JSON.parse(listed.stdout)).toMatchObject({ total: 1 });
  const shown = await runDlq({ ...dlqArgs, action: 'show', id: [letters[1]!.id] }, context);
  expect(shown).toMatchObject({ exitCode: 0, stderr: '' });
  expect(shown.stdout).toContain('template broken-two is missing');
  const replayed = await runDlq({ ...dlqArgs, action: 'replay', id: [letters[1]!.id] }, context);
  expect(replayed).toMatchObject({ exitCode: 0, stderr: '' });
  await waitFor(
    () => emailed.filter((e) => e.replayfor === 'email-service').length === 2,
    () => `both replays emailed; emailed ${JSON.stringify(emailed)}`,
  );
  // Purge: by the CLI with a filter (XDEL), then all of it by the API (MULTI, DEL).
  for (const r of [request('broken-three'), request('broken-four')]) {
    await bus.publish('notification.requested', r);
  }
  await waitFor(
    async () => (await dlq.count()) === 2,
    () => 'two new dead letters',
  );
  const purged = await runDlq(
    { ...dlqArgs, action: 'purge', type: 'notification.requested', yes: true },
    context,
  );
  expect(purged).toMatchObject({ exitCode: 0, stderr: '' });
  expect(await dlq.count()).toBe(0);
  await bus.publish('notification.requested', request('broken-five'));
  await waitFor(
    async () => (await dlq.count()) === 1,
    () => 'one more dead letter',
  );
  expect(await dlq.purge()).toBe(1);

  // Inspect: the API and the CLI.
  const inspection = await bus.inspect();
  const campaigns = inspection.streams.find((s) => s.name === 'campaign-events');
  expect(campaigns?.length).toBeGreaterThanOrEqual(stored.length);
  const inspected = await runInspect({ redis: url, json: true }, context);
  expect(inspected.stderr).toBe('');
  expect(inspected.exitCode).toBe(0);

  // Tail: the API (XREAD on a connection of its own) and the CLI.
  const stop = new AbortController();
  const tailed: string[] = [];
  for await (const entry of bus.tail('campaign-events', {
    from: '0',
    signal: stop.signal,
    blockMs: 100,
  })) {
    tailed.push(entry.decoded.ok ? entry.decoded.envelope.id : `undecodable ${entry.entryId}`);
    if (tailed.length === stored.length) stop.abort();
  }
  expect(tailed.sort()).toEqual(stored.map((p) => p.id).sort());
  // From $ (XREVRANGE finds the newest entry first): what is published once the reader blocks.
  const stopLive = new AbortController();
  const following = bus.tail('system-events', { signal: stopLive.signal, blockMs: 100 });
  const next = following.next();
  await waitFor(
    async () =>
      /name=schemabus:tail:system-events .*cmd=xread/.test(String(await admin.client('LIST'))),
    () => 'the tail reader to block in XREAD',
  );
  const health = await bus.publish('system.health-checked', {
    component: 'db',
    healthy: true,
    checkedAt: now(),
  });
  const followed = await next;
  expect(followed.done ? undefined : followed.value.decoded).toMatchObject({
    ok: true,
    envelope: { id: health.id },
  });
  stopLive.abort();
  await following.return(undefined);
  const tail = await runTail(
    { redis: url, streams: ['campaign-events'], from: '0', count: 2 },
    context,
  );
  expect(tail.exitCode).toBe(0);
  expect(tail.stdout.trimEnd().split('\n')).toHaveLength(2);

  // Unsubscribe (UNSUBSCRIBE, PUNSUBSCRIBE) and close (consumers released: release-consumer.lua).
  await unsubscribeA();
  await unsubscribeAll();
  for (const subscription of subscriptions) await subscription.close({ timeoutMs: 2000 });
  for (const b of buses) await b.close({ timeoutMs: 2000 });
  expect(bus.stats()).toMatchObject({ lost: 0 });

  // Nothing was refused: not by Redis's count, not in the logs.
  expect(await refusalsOf(admin, acl.user)).toEqual([]);
  const noperm = logger.records.filter((r) =>
    /NOPERM|no permissions/i.test(`${r.msg} ${JSON.stringify(r.obj)}`),
  );
  expect(noperm).toEqual([]);
  // The workflow's own handler failures and dead letters are logged (warn, error); nothing else is.
  const expected = /^(handler failed; retrying|entry moved to the dead-letter queue)/;
  const warnings = logger.records.filter(
    (r) => (r.level === 'warn' || r.level === 'error') && !expected.test(r.msg),
  );
  expect(warnings, 'no other warning or error logged').toEqual([]);
}, 60_000);

it('lets the reader watchdog kill a hung reader connection (CLIENT KILL) as that user', async () => {
  const { acl, admin, urlOn } = await leastPrivilegeUser();
  const proxy = await TcpProxy.start(server().port);
  onCleanup(() => proxy.close());
  const logger = captureLogger();
  const bus = new RedisEventBus({
    catalog,
    redis: urlOn(proxy.port),
    logger,
    watchdogGraceMs: 300,
  });
  onCleanup(() => bus.close({ timeoutMs: 100 }));
  await bus.bootstrap();
  // email-service reads one stream: one reader connection, named after group and consumer.
  const handled: string[] = [];
  bus.subscribe(
    'email-service',
    {
      'notification.requested': async (event: Envelope<{ template: string }>) =>
        void handled.push(event.data.template),
    },
    { consumer: 'e-1', blockMs: 200 },
  );
  await bus.publish('notification.requested', request('before'));
  await waitFor(
    () => handled.length === 1,
    () => `"before" handled: ${handled}`,
  );
  const kills = async () =>
    Number(/cmdstat_client\|kill:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0);
  const killsBefore = await kills();
  const [reader] = await waitFor(() => {
    const found = proxy.named(/^schemabus:email-service:e-1$/);
    return found.length === 1 ? found : undefined;
  });
  reader!.freeze(); // half-open: no reply, no close
  await bus.publish('notification.requested', request('after'));
  await waitFor(
    () => handled.length === 2,
    () => `"after" handled: ${handled}`,
  );
  expect(bus.readerRecoveries).toBeGreaterThanOrEqual(1);
  expect(await kills()).toBeGreaterThan(killsBefore);
  expect(await refusalsOf(admin, acl.user)).toEqual([]);
  expect(logger.records.filter((r) => /NOPERM|no permissions/i.test(JSON.stringify(r)))).toEqual(
    [],
  );
});
