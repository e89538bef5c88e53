/**
 * Type-level tests of the generated API (generated/ for events.schema.yaml):
 * correct code compiles; a wrong payload, a missing handler or a handler
 * with the wrong payload type does not, and the error names the culprit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExampleModel } from '../emit/example-model.js';
import { compileFixtures, type FixtureDiagnostic } from './compile.js';

const HEADER = `
import type { Envelope, EventBus, HandlerContext } from 'schemabus';
import {
  type AuditServiceHandlers,
  type CampaignCreated,
  type TimerFired,
  createPublisher,
  onCampaignStatus,
  subscribeAuditService,
} from '../../../../generated/index.js';
declare const bus: EventBus;
const publisher = createPublisher(bus, { meta: { source: 'tests' } });
export const valid: CampaignCreated = {
  campaignId: '6f1c2d3e-0000-4000-8000-000000000001',
  name: 'Spring sale',
  budget: { amount: 1000, currency: 'EUR' },
  ownerId: '6f1c2d3e-0000-4000-8000-000000000002',
  createdAt: '2025-01-01T00:00:00Z',
};
`;

/** A complete `AuditServiceHandlers` object literal, built from the catalogue, with `override` replacing members. */
function auditHandlers(override: Record<string, string | null> = {}): string {
  const service = loadExampleModel().services.find((s) => s.name === 'audit-service')!;
  const events = loadExampleModel().events.filter((e) => service.events.includes(e.type));
  const members = events
    .filter((event) => override[event.methodName] !== null)
    .map(
      (event) =>
        override[event.methodName] ??
        `  async ${event.methodName}(event, ctx) { void event.data; void ctx.attempt; },`,
    );
  return `{\n${members.join('\n')}\n}`;
}

const FIXTURES = {
  publisherOk: `${HEADER}
export const a = publisher.campaignCreated(valid, { correlationId: 'c-1' });
export const b = publisher.campaignCreated({ ...valid, tags: ['a'], startsAt: '2025-01-02T00:00:00Z' });
export const c = publisher.publishBatch([
  { type: 'campaign.created', data: valid },
  { type: 'campaign.deleted', data: { campaignId: valid.campaignId, deletedAt: valid.createdAt } },
]);`,
  // exactOptionalPropertyTypes is on: optional options also take a value that may be undefined.
  maybeUndefinedOk: `${HEADER}
declare const maybeMeta: import('schemabus').PublishMeta | undefined;
declare const maybeId: string | undefined;
export const p = createPublisher(bus, { meta: maybeMeta });
export const b = p.publishBatch([{ type: 'campaign.created', data: valid, meta: maybeMeta }]);
export const off = onCampaignStatus(bus, { campaignId: maybeId }, () => {});`,
  handlersOk: `${HEADER}
const handlers: AuditServiceHandlers = ${auditHandlers({
    campaignCreated: `  async campaignCreated(event: Envelope<CampaignCreated, 'campaign.created'>, ctx: HandlerContext) {
    const name: string = event.data.name; void name; void ctx;
  },`,
  })};
export const subscription = subscribeAuditService(bus, handlers, { concurrency: 2 });
export const inline = subscribeAuditService(bus, ${auditHandlers()});`,
  realtimeOk: `${HEADER}
export const off = onCampaignStatus(bus, { campaignId: valid.campaignId }, (event, channel) => {
  if (event.type === 'campaign.status-changed') {
    const to: 'draft' | 'scheduled' | 'active' | 'paused' | 'completed' | 'cancelled' = event.data.to;
    void to;
  }
  void channel;
});`,
  wrongFieldType: `${HEADER}
export const a = publisher.campaignCreated({ ...valid, campaignId: 42 });`,
  missingField: `${HEADER}
export const a = publisher.campaignCreated({
  campaignId: valid.campaignId,
  budget: valid.budget,
  ownerId: valid.ownerId,
  createdAt: valid.createdAt,
});`,
  unknownField: `${HEADER}
export const a = publisher.campaignCreated({ ...valid, discount: 10 });`,
  wrongEnumValue: `${HEADER}
export const a = publisher.campaignStatusChanged({
  campaignId: valid.campaignId,
  from: 'draft',
  to: 'archived',
  changedAt: valid.createdAt,
});`,
  wrongBatchItem: `${HEADER}
export const a = publisher.publishBatch([{ type: 'timer.fired', data: valid }]);`,
  missingHandler: `${HEADER}
export const s = subscribeAuditService(bus, ${auditHandlers({ timerFired: null })});`,
  wrongHandlerPayload: `${HEADER}
const handlers: AuditServiceHandlers = ${auditHandlers({
    campaignCreated:
      "  async campaignCreated(event: Envelope<TimerFired, 'timer.fired'>) { void event; },",
  })};
void handlers;`,
  narrowerHandlerPayload: `${HEADER}
const handlers: AuditServiceHandlers = ${auditHandlers({
    campaignCreated:
      "  async campaignCreated(event: Envelope<CampaignCreated & { region: string }, 'campaign.created'>) { void event; },",
  })};
void handlers;`,
  wrongRealtimeParam: `${HEADER}
export const off = onCampaignStatus(bus, { campaign: 'x' }, () => {});`,
};

let results: Map<string, FixtureDiagnostic[]>;

beforeAll(() => {
  results = compileFixtures(FIXTURES);
}, 120_000);

function diagnostics(name: keyof typeof FIXTURES): FixtureDiagnostic[] {
  return results.get(name) ?? [];
}

describe('generated API: correct code compiles', () => {
  it.each(['publisherOk', 'maybeUndefinedOk', 'handlersOk', 'realtimeOk'] as const)(
    '%s',
    (name) => {
      expect(diagnostics(name)).toEqual([]);
    },
  );
});

describe('generated API: mistakes are compile errors', () => {
  it('a publisher call with a field of the wrong type', () => {
    expect(diagnostics('wrongFieldType')).toEqual([
      expect.objectContaining({
        code: 2322,
        at: 'campaignId',
        message: expect.stringContaining("'number' is not assignable to type 'string'"),
      }),
    ]);
  });

  it('a publisher call missing a required field', () => {
    expect(diagnostics('missingField')).toEqual([
      expect.objectContaining({
        code: 2345,
        message: expect.stringContaining("Property 'name' is missing"),
      }),
    ]);
  });

  it('a publisher call with an unknown field', () => {
    expect(diagnostics('unknownField')).toEqual([
      expect.objectContaining({
        code: 2353,
        at: 'discount',
        message: expect.stringContaining("'discount' does not exist"),
      }),
    ]);
  });

  it('a publisher call with a value outside the enum', () => {
    expect(diagnostics('wrongEnumValue')).toEqual([
      expect.objectContaining({
        code: 2322,
        at: 'to',
        message: expect.stringContaining('"archived"'),
      }),
    ]);
  });

  it('a batch item whose payload is not its type', () => {
    expect(diagnostics('wrongBatchItem').map((d) => d.code)).toContain(2322);
  });

  it('a handler object missing a method', () => {
    expect(diagnostics('missingHandler')).toEqual([
      expect.objectContaining({
        code: 2345,
        message: expect.stringContaining("Property 'timerFired' is missing"),
      }),
    ]);
  });

  it('a handler taking the payload of another event', () => {
    expect(diagnostics('wrongHandlerPayload')).toEqual([
      expect.objectContaining({
        code: 2322,
        at: 'campaignCreated',
        message: expect.stringMatching(/"timer\.fired">[\s\S]*"campaign\.created">/),
      }),
    ]);
  });

  it('a handler expecting more than the payload has (checked strictly, not bivariantly)', () => {
    expect(diagnostics('narrowerHandlerPayload')).toEqual([
      expect.objectContaining({
        code: 2322,
        at: 'campaignCreated',
        message: expect.stringContaining('region'),
      }),
    ]);
  });

  it('realtime params that are not the channel pattern params', () => {
    expect(diagnostics('wrongRealtimeParam')).toEqual([
      expect.objectContaining({
        code: 2561,
        at: 'campaign',
        message: expect.stringContaining("Did you mean to write 'campaignId'"),
      }),
    ]);
  });
});
