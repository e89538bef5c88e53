import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../../../generator/catalog/model.js';
import { findBreakingChanges } from '../../../generator/compat/breaking-changes.js';
import type { JsonSchema } from '../../../runtime/catalog.js';
import { sampleModel } from '../emit/sample-model.js';

/** The sample model with the payload schema of `system.alert` replaced. */
function withAlert(schema: JsonSchema): CatalogModel {
  const events = { ...sampleModel.catalog.events };
  events['system.alert'] = { ...events['system.alert']!, schema };
  return { ...sampleModel, catalog: { ...sampleModel.catalog, events } };
}

const object = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  required,
  properties,
});

describe('findBreakingChanges in payloads', () => {
  it.each<[string, { given: [JsonSchema, JsonSchema]; want: string[] }]>([
    [
      'identical',
      { given: [object({ a: { type: 'string' } }), object({ a: { type: 'string' } })], want: [] },
    ],
    ['optional field added', { given: [object({}), object({ a: { type: 'string' } })], want: [] }],
    [
      'required field added',
      {
        given: [object({}), object({ a: { type: 'string' } }, ['a'])],
        want: ['payload.required: field `a` is now required'],
      },
    ],
    [
      'optional field made required',
      {
        given: [object({ a: {} }), object({ a: {} }, ['a'])],
        want: ['payload.required: field `a` is now required'],
      },
    ],
    [
      'field removed',
      { given: [object({ a: {} }), object({})], want: ['payload.properties.a: field `a` removed'] },
    ],
    [
      'type changed',
      {
        given: [object({ a: { type: 'string' } }), object({ a: { type: 'integer' } })],
        want: ['payload.properties.a: type changed from `"string"` to `"integer"`'],
      },
    ],
    [
      'integer widened to number',
      { given: [object({ a: { type: 'integer' } }), object({ a: { type: 'number' } })], want: [] },
    ],
    [
      'enum narrowed',
      {
        given: [object({ a: { enum: ['x', 'y'] } }), object({ a: { enum: ['x'] } })],
        want: ['payload.properties.a: no longer accepts `"y"`'],
      },
    ],
    [
      'enum widened',
      { given: [object({ a: { enum: ['x'] } }), object({ a: { enum: ['x', 'y'] } })], want: [] },
    ],
    [
      'enum introduced',
      {
        given: [object({ a: { type: 'string' } }), object({ a: { type: 'string', enum: ['x'] } })],
        want: ['payload.properties.a: now restricted to `"x"`'],
      },
    ],
    [
      'bounds tightened',
      {
        given: [
          object({ a: { type: 'string', maxLength: 10 } }),
          object({ a: { type: 'string', minLength: 1, maxLength: 5 } }),
        ],
        want: [
          'payload.properties.a: `minLength` raised from none to 1',
          'payload.properties.a: `maxLength` lowered from `10` to 5',
        ],
      },
    ],
    [
      'bounds relaxed',
      {
        given: [
          object({ a: { type: 'integer', maximum: 5 } }),
          object({ a: { type: 'integer', maximum: 9 } }),
        ],
        want: [],
      },
    ],
    [
      'pattern added',
      {
        given: [
          object({ a: { type: 'string' } }),
          object({ a: { type: 'string', pattern: '^x' } }),
        ],
        want: ['payload.properties.a: `pattern` changed from none to `"^x"`'],
      },
    ],
    [
      'array items narrowed',
      {
        given: [
          object({ a: { type: 'array', items: { type: 'string' } } }),
          object({ a: { type: 'array', items: { type: 'string', format: 'uuid' } } }),
        ],
        want: ['payload.properties.a.items: `format` changed from none to `"uuid"`'],
      },
    ],
    [
      'composition changed',
      {
        given: [
          object({ a: { anyOf: [{ type: 'string' }, { type: 'null' }] } }),
          object({ a: { anyOf: [{ type: 'string' }] } }),
        ],
        want: [
          'payload.properties.a: a composition (`allOf`/`anyOf`/`oneOf`) changed; check it accepts every value it accepted before',
        ],
      },
    ],
  ])('%s', (_, { given: [before, after], want }) => {
    const changes = findBreakingChanges(withAlert(before), withAlert(after));
    const got = changes.map(
      (c) => `${c.path.replace('events["system.alert"].', '')}: ${c.message}`,
    );
    expect(got).toHaveLength(want.length);
    for (const [i, prefix] of want.entries()) expect(got[i]).toContain(prefix);
  });

  it('follows $refs into the shared types', () => {
    const before = sampleModel;
    const events = { ...before.catalog.events };
    const created = events['campaign.created']!;
    const defs = created.schema.$defs as Record<string, JsonSchema>;
    events['campaign.created'] = {
      ...created,
      schema: {
        ...created.schema,
        $defs: { Money: { ...defs.Money, required: ['amount', 'currency', 'scale'] } },
      },
    };
    const after = { ...before, catalog: { ...before.catalog, events } };
    expect(findBreakingChanges(before, after)).toEqual([
      {
        path: 'events["campaign.created"].payload.properties.budget.required',
        message: 'field `scale` is now required: producers that omit it are rejected',
      },
    ]);
  });
});

describe('findBreakingChanges in the catalogue', () => {
  it('reports removed streams, groups, channels, events, moves and a new namespace', () => {
    const { catalog } = sampleModel;
    const stream = catalog.streams['campaign-events']!;
    const { 'audit-service': _audit, ...groups } = stream.groups;
    const { 'system-alerts': _alerts, ...channels } = catalog.channels;
    const { 'system.alert': _alert, ...kept } = catalog.events;
    const events = {
      ...kept,
      'campaign.status-changed': { ...kept['campaign.status-changed']!, channel: 'other' },
    };
    const after: CatalogModel = {
      ...sampleModel,
      catalog: {
        ...catalog,
        namespace: 'shop2',
        streams: { 'campaign-events': { ...stream, groups } },
        channels,
        events,
      },
    };
    expect(findBreakingChanges(sampleModel, after).map((c) => c.path)).toEqual([
      'namespace',
      'streams.campaign-events.groups.audit-service',
      'channels.system-alerts',
      'events["campaign.status-changed"].realtime',
      'events["system.alert"]',
    ]);
  });

  it('reports partitioning a stream, and changing its partition count or key', () => {
    const { catalog } = sampleModel;
    const stream = catalog.streams['campaign-events']!;
    const withPartitions = (partitions?: { count: number; key: string }): CatalogModel => ({
      ...sampleModel,
      catalog: {
        ...catalog,
        streams: {
          ...catalog.streams,
          'campaign-events': partitions === undefined ? stream : { ...stream, partitions },
        },
      },
    });
    const eight = withPartitions({ count: 8, key: 'campaignId' });
    expect(findBreakingChanges(eight, eight)).toEqual([]);
    expect(findBreakingChanges(sampleModel, eight)).toEqual([
      {
        path: 'streams.campaign-events.partitionKey',
        message:
          'stream `campaign-events` changed from one stream key to 8 partitions by `campaignId`: events now go to other stream keys, so the order of one key is not kept across the change, and entries left on the old keys are read by nobody',
      },
    ]);
    const paths = (after: CatalogModel) => findBreakingChanges(eight, after).map((c) => c.path);
    expect(paths(withPartitions({ count: 16, key: 'campaignId' }))).toEqual([
      'streams.campaign-events.partitions',
    ]);
    expect(paths(withPartitions({ count: 8, key: 'ownerId' }))).toEqual([
      'streams.campaign-events.partitionKey',
    ]);
    expect(paths(sampleModel)).toEqual(['streams.campaign-events.partitionKey']);
  });
});
