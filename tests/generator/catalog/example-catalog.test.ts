/**
 * The example catalogue of the repository loads cleanly into the expected model.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../generator/catalog/index.js';

const text = readFileSync(new URL('../../../events.schema.yaml', import.meta.url), 'utf8');

function loadExample() {
  const result = loadCatalog(text, 'events.schema.yaml');
  if (!result.ok) throw new Error(`example catalogue has issues: ${JSON.stringify(result.issues)}`);
  return result;
}

describe('events.schema.yaml', () => {
  it('loads with no issues and no warnings', () => {
    const result = loadCatalog(text, 'events.schema.yaml');
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('gives every stream its hash-tagged keys, retention and sorted groups', () => {
    const { catalog } = loadExample().model;
    expect(catalog.format).toBe(1);
    expect(catalog.namespace).toBe('campaigns');
    expect(catalog.source).toBe('campaign-service');
    expect(Object.keys(catalog.streams)).toEqual([
      'campaign-events',
      'notification-events',
      'system-events',
      'timer-events',
    ]);
    const campaign = catalog.streams['campaign-events']!;
    expect(campaign.key).toBe('{campaigns:campaign-events}');
    expect(campaign.dlqKey).toBe('{campaigns:campaign-events}:dlq');
    expect(campaign.retention).toEqual({ maxLen: 10000 });
    expect(Object.keys(campaign.groups)).toEqual([
      'analytics-service',
      'audit-service',
      'lifecycle-service',
    ]);
    expect(catalog.streams['notification-events']!.retention).toEqual({ maxAgeMs: 86_400_000 });
    expect(catalog.streams['system-events']!.retention).toEqual({ maxAgeMs: 3_600_000 });
  });

  it('merges defaults into each group, deeply', () => {
    const { streams } = loadExample().model.catalog;
    const analytics = streams['campaign-events']!.groups['analytics-service']!;
    expect(analytics).toEqual({
      name: 'analytics-service',
      stream: 'campaign-events',
      events: [
        'campaign.budget-exhausted',
        'campaign.created',
        'campaign.deleted',
        'campaign.status-changed',
        'campaign.updated',
      ],
      retry: { maxAttempts: 6, backoff: { initialMs: 200, factor: 2, maxMs: 30000, jitter: 0.2 } },
      claimIdleMs: 60000,
      dlq: true,
      startFrom: 'earliest',
    });
    const email = streams['notification-events']!.groups['email-service']!;
    expect(email.retry).toEqual({
      maxAttempts: 5,
      backoff: { initialMs: 1000, factor: 2, maxMs: 30000, jitter: 0.2 },
    });
    expect(email.events).toEqual(['notification.requested']);
    expect(streams['system-events']!.groups['monitoring-service']!.claimIdleMs).toBe(30000);
  });

  it('makes a group name used on two streams one service', () => {
    const { services } = loadExample().model;
    expect(services.map((s) => s.name)).toEqual([
      'analytics-service',
      'audit-service',
      'email-service',
      'lifecycle-service',
      'monitoring-service',
      'push-service',
      'websocket-service',
    ]);
    expect(services.find((s) => s.name === 'audit-service')).toEqual({
      name: 'audit-service',
      interfaceName: 'AuditServiceHandlers',
      subscribeName: 'subscribeAuditService',
      streams: ['campaign-events', 'timer-events'],
      events: [
        'campaign.created',
        'campaign.deleted',
        'campaign.status-changed',
        'timer.cancelled',
        'timer.fired',
        'timer.scheduled',
      ],
    });
  });

  it('parses channel params and lists the events published on each channel', () => {
    const { model } = loadExample();
    expect(model.catalog.channels['campaign-status']).toEqual({
      name: 'campaign-status',
      pattern: 'campaign:{campaignId}:status',
      params: ['campaignId'],
      prefix: 'campaigns:',
      events: ['campaign.budget-exhausted', 'campaign.status-changed'],
    });
    expect(model.catalog.channels['system-alerts']!.params).toEqual([]);
    expect(model.channels.map((c) => [c.name, c.functionName, c.paramsName])).toEqual([
      ['campaign-status', 'onCampaignStatus', 'CampaignStatusParams'],
      ['system-alerts', 'onSystemAlerts', 'SystemAlertsParams'],
      ['timer-executions', 'onTimerExecutions', 'TimerExecutionsParams'],
    ]);
  });

  it('makes event schemas self-contained with $defs, and keeps the model schema unresolved', () => {
    const { model } = loadExample();
    const created = model.catalog.events['campaign.created']!;
    expect(created.stream).toBe('campaign-events');
    expect(created.channel).toBeUndefined();
    const properties = created.schema.properties as Record<string, unknown>;
    expect(properties.budget).toEqual({ $ref: '#/$defs/Money' });
    expect(created.schema.$defs).toEqual({
      Money: {
        type: 'object',
        description: 'An amount in minor units (cents) of an ISO 4217 currency',
        required: ['amount', 'currency'],
        properties: {
          amount: { type: 'integer', minimum: 0 },
          currency: { type: 'string', pattern: '^[A-Z]{3}$' },
        },
      },
    });
    const event = model.events.find((e) => e.type === 'campaign.created')!;
    expect(event.refs).toEqual(['Money']);
    expect(event.schema.$defs).toBeUndefined();
    expect(model.catalog.events['system.alert']!.schema.$defs).toBeUndefined();
  });

  it('derives TypeScript names mechanically', () => {
    const { model } = loadExample();
    const changed = model.events.find((e) => e.type === 'campaign.status-changed')!;
    expect(changed).toMatchObject({
      typeName: 'CampaignStatusChanged',
      methodName: 'campaignStatusChanged',
      stream: 'campaign-events',
      channel: 'campaign-status',
      refs: ['CampaignStatus'],
    });
    expect(model.events.map((e) => e.type)).toEqual([...model.events.map((e) => e.type)].sort());
    expect(model.types.map((t) => t.name)).toEqual([
      'CampaignStatus',
      'Money',
      'NotificationChannel',
    ]);
    expect(model.sourcePath).toBe('events.schema.yaml');
    expect(model.catalog.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});
