/**
 * The small pure helpers of the loader: durations, names, suggestions, paths.
 */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../generator/catalog/duration.js';
import { canonicalJson } from '../../../generator/catalog/fingerprint.js';
import {
  channelFunctionName,
  channelParamsName,
  eventMethodName,
  eventTypeName,
  serviceInterfaceName,
  serviceSubscribeName,
} from '../../../generator/catalog/names.js';
import { formatPath } from '../../../generator/catalog/source-map.js';
import { closestName, editDistance } from '../../../schema/closest-name.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
  ])('reads %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['24 hours', '0s', '1.5h', '10', 'h', '-1m', '1w', ' 1h'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('derived TypeScript names', () => {
  it('derives event, service and channel names mechanically', () => {
    expect(eventTypeName('campaign.status-changed')).toBe('CampaignStatusChanged');
    expect(eventMethodName('campaign.status-changed')).toBe('campaignStatusChanged');
    expect(serviceInterfaceName('analytics-service')).toBe('AnalyticsServiceHandlers');
    expect(serviceSubscribeName('analytics-service')).toBe('subscribeAnalyticsService');
    expect(channelFunctionName('campaign-status')).toBe('onCampaignStatus');
    expect(channelParamsName('campaign-status')).toBe('CampaignStatusParams');
  });
});

describe('suggestions', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('retyr', 'retry')).toBe(1);
    expect(editDistance('analytics-servce', 'analytics-service')).toBe(1);
    expect(editDistance('abc', 'xyz')).toBe(3);
  });

  it('suggests only a close candidate', () => {
    expect(closestName('analytics-servce', ['analytics-service', 'audit-service'])).toBe(
      'analytics-service',
    );
    expect(closestName('orders', ['order-events', 'payment-events'])).toBeUndefined();
  });
});

describe('formatPath', () => {
  it('dots plain keys and brackets dotted keys and indices', () => {
    expect(formatPath(['streams', 'campaign-events', 'groups', 'audit-service', 'events', 1])).toBe(
      'streams.campaign-events.groups.audit-service.events[1]',
    );
    expect(formatPath(['events', 'campaign.created', 'payload'])).toBe(
      'events["campaign.created"].payload',
    );
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: [2, 1], a: { d: 1, c: null } })).toBe(
      '{"a":{"c":null,"d":1},"b":[2,1]}',
    );
  });
});
