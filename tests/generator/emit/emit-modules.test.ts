import { describe, expect, it } from 'vitest';
import type { CatalogModel, ModelType } from '../../../generator/catalog/model.js';
import { emitBootstrap } from '../../../generator/emit/emit-bootstrap.js';
import { emitCatalog } from '../../../generator/emit/emit-catalog.js';
import { referencesOf, sortByDependencies } from '../../../generator/emit/emit-events.js';
import { emitHandlers } from '../../../generator/emit/emit-handlers.js';
import { emitPublishers } from '../../../generator/emit/emit-publishers.js';
import { emitRealtime, paramType } from '../../../generator/emit/emit-realtime.js';
import {
  emitSchemas,
  envelopeJsonSchema,
  eventJsonSchema,
} from '../../../generator/emit/emit-schemas.js';
import { generateFiles } from '../../../generator/emit/index.js';
import { sampleModel } from './sample-model.js';

describe('events.ts', () => {
  it('orders shared types after the types they use, ties by name', () => {
    const types: ModelType[] = [
      { name: 'A', schema: { type: 'object', properties: { c: { $ref: '#/$defs/C' } } } },
      { name: 'B', schema: { type: 'string' } },
      { name: 'C', schema: { type: 'array', items: { $ref: '#/$defs/B' } } },
    ];
    expect(sortByDependencies(types).map((t) => t.name)).toEqual(['B', 'C', 'A']);
  });

  it('refuses recursive types, naming the cycle', () => {
    const types: ModelType[] = [
      { name: 'A', schema: { $ref: '#/$defs/B' } },
      { name: 'B', schema: { $ref: '#/$defs/A' } },
    ];
    expect(() => sortByDependencies(types)).toThrow('A -> B -> A');
  });

  it('finds references, not values that look like them', () => {
    const schema = {
      anyOf: [{ $ref: '#/$defs/X' }],
      enum: [{ $ref: '#/$defs/Y' }],
      default: { $ref: '#/$defs/Z' },
    };
    expect([...referencesOf(schema)]).toEqual(['X']);
  });

  it('declares shared types before the events using them', () => {
    const text = generateFiles(sampleModel).get('events.ts') ?? '';
    expect(text.indexOf('export const Money')).toBeLessThan(
      text.indexOf('export const CampaignCreated'),
    );
    expect(text).toContain('budget: Money,');
    expect(text).toContain("'campaign.status-changed': CampaignStatusChanged;");
    expect(text).toContain('export type EventType = keyof EventMap;');
  });
});

describe('publishers.ts', () => {
  it('has one method per event calling bus.publish with its type', () => {
    const text = emitPublishers(sampleModel);
    expect(text).toContain(
      'campaignCreated(data: CampaignCreated, meta?: PublishMeta): Promise<Published>;',
    );
    expect(text).toContain(
      "return bus.publish('campaign.created', data, withDefaults(defaults, meta));",
    );
    expect(text).toContain(
      'publishBatch(items: readonly PublishBatchItem[]): Promise<Published[]>;',
    );
  });

  it('leaves publishBatch out when an event takes the name', () => {
    const event = {
      ...sampleModel.events[0]!,
      type: 'publish.batch',
      typeName: 'PublishBatch',
      methodName: 'publishBatch',
    };
    const text = emitPublishers({ ...sampleModel, events: [event] });
    expect(text).toContain("bus.publish('publish.batch'");
    expect(text).not.toContain('PublishBatchItem');
  });
});

describe('handlers.ts', () => {
  it('types each handler as a function property taking the event envelope', () => {
    const text = emitHandlers(sampleModel);
    expect(text).toContain('export interface AuditServiceHandlers {');
    expect(text).toContain(
      "readonly campaignCreated: (event: Envelope<CampaignCreated, 'campaign.created'>, ctx: HandlerContext) => Promise<void>;",
    );
    expect(text).toContain("return bus.subscribe('audit-service', {");
    expect(text).toContain(
      "handlers.campaignCreated(event as Envelope<CampaignCreated, 'campaign.created'>, ctx)",
    );
  });

  it('is an empty module when no group exists', () => {
    expect(emitHandlers({ ...sampleModel, services: [] })).toMatch(/\nexport \{\};\n$/);
  });
});

describe('realtime.ts', () => {
  it('derives params from the payload fields and unions the envelopes', () => {
    const text = emitRealtime(sampleModel);
    expect(text).toContain(
      'export type CampaignStatusParams = { readonly campaignId?: string | undefined };',
    );
    expect(text).toContain('export type SystemAlertsParams = Record<string, never>;');
    expect(text).toContain(
      "return bus.onRealtime('campaign-status', params, handler as RealtimeHandler);",
    );
  });

  it.each<[string, { given: Record<string, unknown>[]; want: string }]>([
    ['string field', { given: [{ type: 'string', format: 'uuid' }], want: 'string' }],
    ['integer field', { given: [{ type: 'integer' }], want: 'number' }],
    ['enum through a $ref', { given: [{ $ref: '#/$defs/Status' }], want: 'string' }],
    [
      'different types on two events',
      { given: [{ type: 'string' }, { type: 'number' }], want: 'number | string' },
    ],
  ])('paramType: %s', (_, { given, want }) => {
    const events = given.map((field, i) => ({
      ...sampleModel.events[0]!,
      type: `e.e${i}`,
      schema: { type: 'object', properties: { id: field } },
    }));
    const types = new Map([['Status', { enum: ['a', 'b'] }]]);
    expect(paramType('id', events, types)).toBe(want);
  });
});

describe('bootstrap.ts', () => {
  it('checks the fingerprint, then bootstraps, and lists what it creates', () => {
    const text = emitBootstrap(sampleModel);
    expect(text).toContain('if (bus.catalog.fingerprint !== catalog.fingerprint) {');
    expect(text).toContain('throw new CatalogMismatchError(');
    expect(text).toContain('(from sample.schema.yaml): build the bus with this generated catalog');
    expect(text).toContain('return bus.bootstrap();');
    expect(text).toContain("groups: ['analytics-service', 'audit-service'],");
  });

  it('lists every partition key of a partitioned stream, and the catalogue carries its partitioning', () => {
    const stream = sampleModel.catalog.streams['campaign-events']!;
    const model: CatalogModel = {
      ...sampleModel,
      catalog: {
        ...sampleModel.catalog,
        streams: {
          ...sampleModel.catalog.streams,
          'campaign-events': { ...stream, partitions: { count: 2, key: 'campaignId' } },
        },
      },
    };
    const text = emitBootstrap(model);
    const ns = sampleModel.catalog.namespace;
    expect(text).toContain("partitionKey: 'campaignId',");
    expect(text).toContain(
      `{ key: '{${ns}:campaign-events:p0}', dlqKey: '{${ns}:campaign-events:p0}:dlq' },`,
    );
    expect(text).toContain(
      `{ key: '{${ns}:campaign-events:p1}', dlqKey: '{${ns}:campaign-events:p1}:dlq' },`,
    );
    expect(text).not.toContain(`key: '{${ns}:campaign-events}'`);
    expect(emitCatalog(model)).toContain("partitions: { count: 2, key: 'campaignId' },");
  });

  it('escapes the source path inside the template literal', () => {
    const placeholder = ['$', '{x}'].join('');
    const model: CatalogModel = { ...sampleModel, sourcePath: `we\`ird/${placeholder}.yaml` };
    expect(emitBootstrap(model)).toContain(`(from we\\\`ird/\\${placeholder}.yaml)`);
  });
});

describe('schemas/*.json', () => {
  it('exports a self-contained, strict JSON Schema per event', () => {
    const schema = eventJsonSchema(sampleModel, sampleModel.events[0]!);
    expect(Object.keys(schema)).toEqual([
      '$schema',
      '$id',
      'title',
      'description',
      'type',
      'required',
      'properties',
      'additionalProperties',
      '$defs',
    ]);
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'schemabus:shop/campaign.created',
      title: 'CampaignCreated',
      description: 'A campaign was created',
      additionalProperties: false,
      $defs: { Money: { additionalProperties: false } },
    });
  });

  it('exports the envelope with every event type', () => {
    const envelope = envelopeJsonSchema(sampleModel);
    expect(envelope.$id).toBe('schemabus:shop/envelope');
    expect(envelope.properties).toMatchObject({
      type: { enum: ['campaign.created', 'campaign.status-changed', 'system.alert'] },
    });
  });

  it('prints JSON with two spaces and a final newline', () => {
    const files = emitSchemas(sampleModel);
    expect([...files.keys()]).toEqual([
      'schemas/campaign.created.json',
      'schemas/campaign.status-changed.json',
      'schemas/system.alert.json',
      'schemas/envelope.json',
    ]);
    expect(files.get('schemas/envelope.json')).toMatch(/^\{\n {2}"\$schema": .*\n\}\n$/s);
  });
});

describe('imports of generated code', () => {
  it('import only the public runtime entry and sibling generated modules', () => {
    for (const [path, text] of generateFiles(sampleModel)) {
      for (const [, from] of text.matchAll(/ from '([^']+)';/g)) {
        expect(
          from === 'schemabus' || /^\.\/[a-z-]+\.js$/.test(from ?? ''),
          `${path}: ${from}`,
        ).toBe(true);
      }
    }
  });
});
