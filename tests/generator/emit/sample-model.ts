/**
 * A small hand-built CatalogModel: the emitters' unit-test fixture, built
 * without the catalogue loader.
 */
import type { CatalogModel } from '../../../generator/catalog/model.js';
import type { Catalog, JsonSchema, RetryPolicy } from '../../../runtime/catalog.js';

const money: JsonSchema = {
  type: 'object',
  description: 'An amount in minor units',
  required: ['amount', 'currency'],
  properties: {
    amount: { type: 'integer', minimum: 0 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
};
const status: JsonSchema = { type: 'string', enum: ['draft', 'active', 'paused'] };

const created: JsonSchema = {
  type: 'object',
  required: ['campaignId', 'name', 'budget'],
  properties: {
    campaignId: { type: 'string', format: 'uuid' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    budget: { $ref: '#/$defs/Money' },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 20 },
  },
};
const statusChanged: JsonSchema = {
  type: 'object',
  required: ['campaignId', 'to'],
  properties: {
    campaignId: { type: 'string', format: 'uuid' },
    to: { $ref: '#/$defs/CampaignStatus' },
    reason: { type: 'string' },
  },
};
const alert: JsonSchema = {
  type: 'object',
  required: ['message'],
  properties: { message: { type: 'string' }, level: { type: 'integer', minimum: 1 } },
};

const retry: RetryPolicy = {
  maxAttempts: 4,
  backoff: { initialMs: 200, factor: 2, maxMs: 30000, jitter: 0.2 },
};

const catalog: Catalog = {
  format: 1,
  namespace: 'shop',
  source: 'shop-service',
  fingerprint: 'sha256:0123456789abcdef',
  streams: {
    'campaign-events': {
      name: 'campaign-events',
      description: 'Campaign lifecycle',
      key: '{shop:campaign-events}',
      dlqKey: '{shop:campaign-events}:dlq',
      retention: { maxLen: 1000 },
      groups: {
        'analytics-service': {
          name: 'analytics-service',
          stream: 'campaign-events',
          events: ['campaign.created', 'campaign.status-changed'],
          retry,
          claimIdleMs: 60000,
          dlq: true,
          startFrom: 'earliest',
        },
        'audit-service': {
          name: 'audit-service',
          stream: 'campaign-events',
          events: ['campaign.created'],
          retry,
          claimIdleMs: 60000,
          dlq: true,
          startFrom: 'latest',
        },
      },
      events: ['campaign.created', 'campaign.status-changed'],
    },
  },
  channels: {
    'campaign-status': {
      name: 'campaign-status',
      pattern: 'campaign:{campaignId}:status',
      params: ['campaignId'],
      prefix: 'shop:',
      events: ['campaign.status-changed'],
    },
    'system-alerts': {
      name: 'system-alerts',
      pattern: 'system:alerts',
      params: [],
      prefix: 'shop:',
      events: ['system.alert'],
    },
  },
  events: {
    'campaign.created': {
      type: 'campaign.created',
      description: 'A campaign was created',
      stream: 'campaign-events',
      schema: { ...created, $defs: { Money: money } },
    },
    'campaign.status-changed': {
      type: 'campaign.status-changed',
      stream: 'campaign-events',
      channel: 'campaign-status',
      schema: { ...statusChanged, $defs: { CampaignStatus: status } },
    },
    'system.alert': {
      type: 'system.alert',
      description: "An operator's alert",
      channel: 'system-alerts',
      schema: alert,
    },
  },
};

/** The fixture: two shared types, three events, one stream with two groups, two channels. */
export const sampleModel: CatalogModel = {
  sourcePath: 'sample.schema.yaml',
  catalog,
  types: [
    { name: 'CampaignStatus', schema: status },
    { name: 'Money', schema: money },
  ],
  events: [
    {
      type: 'campaign.created',
      typeName: 'CampaignCreated',
      methodName: 'campaignCreated',
      description: 'A campaign was created',
      stream: 'campaign-events',
      schema: created,
      refs: ['Money'],
    },
    {
      type: 'campaign.status-changed',
      typeName: 'CampaignStatusChanged',
      methodName: 'campaignStatusChanged',
      stream: 'campaign-events',
      channel: 'campaign-status',
      schema: statusChanged,
      refs: ['CampaignStatus'],
    },
    {
      type: 'system.alert',
      typeName: 'SystemAlert',
      methodName: 'systemAlert',
      description: "An operator's alert",
      channel: 'system-alerts',
      schema: alert,
      refs: [],
    },
  ],
  services: [
    {
      name: 'analytics-service',
      interfaceName: 'AnalyticsServiceHandlers',
      subscribeName: 'subscribeAnalyticsService',
      streams: ['campaign-events'],
      events: ['campaign.created', 'campaign.status-changed'],
    },
    {
      name: 'audit-service',
      interfaceName: 'AuditServiceHandlers',
      subscribeName: 'subscribeAuditService',
      streams: ['campaign-events'],
      events: ['campaign.created'],
    },
  ],
  channels: [
    {
      name: 'campaign-status',
      functionName: 'onCampaignStatus',
      paramsName: 'CampaignStatusParams',
      pattern: 'campaign:{campaignId}:status',
      params: ['campaignId'],
      events: ['campaign.status-changed'],
    },
    {
      name: 'system-alerts',
      functionName: 'onSystemAlerts',
      paramsName: 'SystemAlertsParams',
      description: 'Operator alerts',
      pattern: 'system:alerts',
      params: [],
      events: ['system.alert'],
    },
  ],
};
