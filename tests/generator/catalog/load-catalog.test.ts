/**
 * loadCatalog behaviour beyond the tables: warnings, YAML conveniences,
 * robustness against hostile input, and issue formatting.
 */
import { describe, expect, it } from 'vitest';
import { type CatalogIssue, formatIssue, loadCatalog } from '../../../generator/catalog/index.js';
import { BASE, withLines } from './base-catalog.js';
import { issuesOf } from './issues-of.js';

describe('loadCatalog', () => {
  it('loads the base catalogue with no issues and no warnings', () => {
    const result = loadCatalog(BASE, 'shop.yaml');
    expect(result).toMatchObject({ ok: true, warnings: [] });
  });

  it('warns (without failing) about a stream nobody consumes', () => {
    const result = loadCatalog(withLines({ 19: null, 20: null }), 'shop.yaml');
    expect(result.ok && result.warnings).toEqual([
      {
        file: 'shop.yaml',
        line: 17,
        col: 3,
        path: 'streams.payment-events',
        message:
          'stream `payment-events` has no groups: its events are stored but nobody consumes them',
        hint: 'add a group under `groups:` if a service should handle them',
      },
    ]);
  });

  it('accepts an empty group body, anchors and aliases', () => {
    const text = withLines({
      15: '      billing-service: &fast { retry: { maxAttempts: 2 } }',
      20: '      audit-service: *fast',
    }).replace('      audit-service: { events: [order.placed] }', '      audit-service:');
    const result = loadCatalog(text, 'shop.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { streams } = result.model.catalog;
    expect(streams['payment-events']!.groups['audit-service']!.retry.maxAttempts).toBe(2);
    expect(streams['order-events']!.groups['audit-service']!.events).toEqual([
      'order.placed',
      'order.shipped',
    ]);
  });

  it('normalises circuitBreaker: defaults, a group that adds fields, `true`, `false`', () => {
    const text = withLines({
      3: [
        'source: order-service',
        'defaults:',
        '  circuitBreaker: { minDeliveries: 20, coolDown: 1m }',
      ],
      15: '      billing-service: { circuitBreaker: { failureRate: 0.25, window: 500ms } }',
      16: '      audit-service: { events: [order.placed], circuitBreaker: false }',
      20: '      audit-service: { circuitBreaker: true }',
    });
    const result = loadCatalog(text, 'shop.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const { streams } = result.model.catalog;
    expect(streams['order-events']!.groups['billing-service']!.circuitBreaker).toEqual({
      failureRate: 0.25,
      minDeliveries: 20,
      windowMs: 500,
      coolDownMs: 60_000,
    });
    expect(streams['order-events']!.groups['audit-service']).not.toHaveProperty('circuitBreaker');
    expect(streams['payment-events']!.groups['audit-service']!.circuitBreaker).toEqual({
      failureRate: 0.5,
      minDeliveries: 20,
      windowMs: 10_000,
      coolDownMs: 60_000,
    });
    const plain = loadCatalog(BASE, 'shop.yaml');
    if (!plain.ok) throw new Error('base catalogue');
    expect(
      plain.model.catalog.streams['order-events']!.groups['billing-service'],
    ).not.toHaveProperty('circuitBreaker');
  });

  it('resolves a channel param through a $ref to a shared type', () => {
    const text = withLines({
      5: ['  Id: { type: string, format: uuid }', '  Money:'],
      32: '        orderId: { $ref: "#/types/Id" }',
    });
    const result = loadCatalog(text, 'shop.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.model.catalog.events['order.placed']!.schema.$defs).toEqual({
      Id: { type: 'string', format: 'uuid' },
      Money: expect.objectContaining({ type: 'object' }),
    });
  });

  it('inlines types referenced through other types under $defs', () => {
    const text = withLines({
      10: [
        '      currency: { $ref: "#/types/Currency" }',
        '  Currency: { type: string, enum: [EUR, USD] }',
      ],
    });
    const result = loadCatalog(text, 'shop.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const placed = result.model.events.find((e) => e.type === 'order.placed')!;
    expect(placed.refs).toEqual(['Currency', 'Money']);
    const schema = result.model.catalog.events['order.placed']!.schema;
    expect(Object.keys(schema.$defs as object)).toEqual(['Currency', 'Money']);
    expect(result.model.types.find((t) => t.name === 'Money')!.schema.properties).toMatchObject({
      currency: { $ref: '#/$defs/Currency' },
    });
  });

  it('uses posix separators in the model source path, the path as given in issues', () => {
    const ok = loadCatalog(BASE, 'schemas\\shop.yaml');
    expect(ok.ok && ok.model.sourcePath).toBe('schemas/shop.yaml');
    const bad = loadCatalog(withLines({ 1: 'schemabus: 2' }), 'schemas\\shop.yaml');
    expect(!bad.ok && bad.issues[0]!.file).toBe('schemas\\shop.yaml');
  });

  it('never lets a key like __proto__ reach an object prototype', () => {
    const text = withLines({
      36: '    payload: { type: object, properties: { __proto__: { type: string }, constructor: { type: string } } }',
    });
    const result = loadCatalog(text, 'shop.yaml');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const properties = result.model.catalog.events['order.shipped']!.schema.properties as object;
    expect(Object.keys(properties)).toEqual(['__proto__', 'constructor']);
    expect(issuesOf(withLines({ 40: '__proto__: { polluted: true }' }))).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports an alias that contains itself instead of recursing forever', () => {
    expect(issuesOf('a: &x [ *x ]\n')).toEqual([
      {
        at: '1:9',
        path: '',
        message: 'YAML syntax error: the document nests too deep (an alias refers to itself?)',
      },
    ]);
  });

  it('reports a section that is not a mapping once, without follow-on reference errors', () => {
    const lines: { [line: number]: string | null } = { 11: 'streams: nope' };
    for (let line = 12; line <= 20; line++) lines[line] = null;
    expect(issuesOf(withLines(lines))).toEqual([
      { at: '11:10', path: 'streams', message: '`streams` must be a mapping, got "nope"' },
    ]);
  });
});

describe('formatIssue', () => {
  const issue: CatalogIssue = {
    file: 'events.schema.yaml',
    line: 12,
    col: 7,
    path: 'streams.campaign-events.retention',
    message: 'retention of stream `campaign-events` sets neither `maxLen` nor `maxAge`',
    hint: 'add `maxLen` or `maxAge`',
  };

  it('renders file:line:col, path, message and hint on one line', () => {
    expect(formatIssue(issue)).toBe(
      'events.schema.yaml:12:7 streams.campaign-events.retention: retention of stream `campaign-events` sets neither `maxLen` nor `maxAge` (hint: add `maxLen` or `maxAge`)',
    );
  });

  it('leaves out an empty path and a missing hint', () => {
    const { hint: _, ...bare } = issue;
    expect(formatIssue({ ...bare, path: '', message: 'YAML syntax error: x' })).toBe(
      'events.schema.yaml:12:7 YAML syntax error: x',
    );
  });
});
