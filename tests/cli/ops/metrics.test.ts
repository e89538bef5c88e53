/**
 * `schemabus metrics`, the exporter: started in process against the
 * harness's redis-server, scraped over HTTP, every line of /metrics parsed;
 * the gauges match a known state (entries published, groups behind, one
 * dead letter); /healthz is 200 while Redis answers and 503 when it cannot.
 */
import { NonRetryableError } from 'schemabus';
import { describe, expect, it } from 'vitest';
import type { CommandContext, CommandResult } from '../../../cli/command.js';
import { runBootstrap } from '../../../cli/commands/bootstrap.js';
import { runMetrics } from '../../../cli/commands/metrics.js';
import { closedPort } from '../../support/closed-port.js';
import { testLive } from '../../support/live-io.js';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text.js';
import { waitFor } from '../../support/wait.js';
import { SCHEMA, useOpsFixture } from './ops-fixture.js';

const fixture = useOpsFixture();

const campaign = () => ({
  campaignId: crypto.randomUUID(),
  name: 'Exporter test',
  budget: { amount: 100, currency: 'EUR' },
  ownerId: crypto.randomUUID(),
  createdAt: new Date().toISOString(),
});

/** Starts the exporter on a free port; resolves with its base URL once it printed it. */
async function startExporter(redis: string, context: CommandContext) {
  const term = testLive();
  const running: Promise<CommandResult> = runMetrics(
    { redis, schema: SCHEMA, port: 0, interval: 0.1 },
    { ...context, live: term.live },
  );
  const base = await waitFor(
    () => /serving (http:\/\/\S+)\/metrics/.exec(term.out())?.[1],
    () => `the exporter's URL, got stdout ${JSON.stringify(term.out())}`,
  );
  return { base, term, running };
}

async function scrape(base: string) {
  const response = await fetch(`${base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await response.text());
}

describe('schemabus metrics', () => {
  it('serves the gauges of every stream and group, each line valid Prometheus text', async () => {
    const { url, context, newBus, catalog } = fixture();
    await runBootstrap({ redis: url, schema: SCHEMA }, context);
    const bus = newBus();
    // lifecycle-service dead-letters the first event and handles the rest; the other groups of
    // campaign-events have no consumer, so they are 3 entries behind.
    let first = true;
    const handler = async () => {
      if (first) {
        first = false;
        throw new NonRetryableError('template missing');
      }
    };
    const handlers = Object.fromEntries(
      catalog.streams['campaign-events']!.events.map((type) => [type, handler]),
    );
    bus.subscribe('lifecycle-service', handlers, { consumer: 'lifecycle-1' });
    for (let i = 0; i < 3; i++) await bus.publish('campaign.created', campaign());

    const { base, term, running } = await startExporter(url, context);
    const stream = { stream: 'campaign-events' };
    const group = (name: string) => ({ stream: 'campaign-events', group: name });
    const m = await waitFor(
      async () => {
        const families = await scrape(base);
        const settled =
          sampleValue(families, 'schemabus_dlq_length', stream) === 1 &&
          sampleValue(families, 'schemabus_group_lag', group('lifecycle-service')) === 0 &&
          sampleValue(families, 'schemabus_group_pending', group('lifecycle-service')) === 0;
        return settled ? families : undefined;
      },
      () => `the exporter to see the dead letter; stderr ${term.err()}`,
    );
    expect(sampleValue(m, 'schemabus_stream_length', stream)).toBe(3);
    expect(sampleValue(m, 'schemabus_stream_entries_added_total', stream)).toBe(3);
    for (const behind of ['analytics-service', 'audit-service']) {
      expect(sampleValue(m, 'schemabus_group_lag', group(behind))).toBe(3);
      expect(sampleValue(m, 'schemabus_group_pending', group(behind))).toBe(0);
      expect(sampleValue(m, 'schemabus_group_consumers', group(behind))).toBe(0);
      expect(sampleValue(m, 'schemabus_group_oldest_pending_age_seconds', group(behind))).toBe(0);
    }
    expect(sampleValue(m, 'schemabus_group_consumers', group('lifecycle-service'))).toBe(1);
    expect(
      sampleValue(m, 'schemabus_group_idle_seconds', group('lifecycle-service')),
    ).toBeGreaterThanOrEqual(0);
    expect(sampleValue(m, 'schemabus_group_lagging_past_retention', group('audit-service'))).toBe(
      0,
    );
    for (const other of ['notification-events', 'system-events', 'timer-events']) {
      expect(sampleValue(m, 'schemabus_stream_length', { stream: other })).toBe(0);
      expect(sampleValue(m, 'schemabus_dlq_length', { stream: other })).toBe(0);
    }
    expect(
      sampleValue(m, 'schemabus_group_consumers', {
        stream: 'timer-events',
        group: 'audit-service',
      }),
    ).toBe(0);
    expect(sampleValue(m, 'schemabus_inspect_success')).toBe(1);
    expect(sampleValue(m, 'schemabus_data_loss_total')).toBe(0);
    // Every family is the bus's, with its HELP and TYPE; the event counters are declared, empty.
    for (const family of m.values()) {
      expect(family.name).toMatch(/^schemabus_[a-z_]+$/);
      expect(family.help).not.toBe('');
    }
    expect(m.get('schemabus_consumed_total')?.type).toBe('counter');
    expect(m.get('schemabus_handler_duration_seconds')?.type).toBe('histogram');

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      checks: {
        catalogue: { ok: true, namespace: catalog.namespace, streams: 4 },
        redis: { ok: true, url },
        refresh: { ok: true, intervalSeconds: 0.1 },
      },
    });
    expect((await fetch(`${base}/other`)).status).toBe(404);

    term.stop();
    const outcome = await running;
    expect(outcome).toMatchObject({ exitCode: 0, stdout: '' });
    expect(outcome.stderr).toBe('schemabus metrics: stopped\n');
    await expect(fetch(`${base}/metrics`)).rejects.toThrow();
  });

  it('/healthz answers 503 with the cause while Redis does not answer', async () => {
    const { context } = fixture();
    const redis = `redis://127.0.0.1:${await closedPort()}`;
    const { base, term, running } = await startExporter(redis, context);
    const report = await waitFor(async () => {
      const response = await fetch(`${base}/healthz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { checks: { redis: { error: string } } };
      return body.checks.redis.error !== 'no answer yet' ? body : undefined;
    });
    expect(report).toMatchObject({
      status: 'failing',
      checks: { catalogue: { ok: true }, redis: { ok: false, url: redis }, refresh: { ok: true } },
    });
    expect(report.checks.redis.error).toMatch(/ECONNREFUSED/);
    expect(sampleValue(await scrape(base), 'schemabus_inspect_success')).toBe(0);
    expect(term.err()).toMatch(/schemabus metrics: metrics refresh failed: .*ECONNREFUSED/);
    term.stop();
    expect((await running).exitCode).toBe(0);
  });

  it('refuses a port in use and a bad interval', async () => {
    const { url, context } = fixture();
    const { base, term, running } = await startExporter(url, context);
    const port = Number(new URL(base).port);
    const second = await runMetrics(
      { redis: url, schema: SCHEMA, port, interval: 1 },
      { ...context, live: testLive().live },
    );
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    const interval = await runMetrics({ redis: url, schema: SCHEMA, interval: 0 }, context);
    expect(interval).toMatchObject({ exitCode: 2 });
    expect(interval.stderr).toContain('--interval must be a number of seconds > 0, got 0');
    term.stop();
    await running;
  });
});
