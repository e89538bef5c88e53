import { describe, expect, it } from 'vitest';
import { CatalogMismatchError } from '../../runtime/errors.js';
import { createValidators } from '../../runtime/internal/validate.js';
import { strictSchema, tolerantSchema } from '../../schema/schema-forms.js';
import { createTestCatalog, orderPlacedData } from '../contract/catalog.js';

const validators = createValidators(createTestCatalog('unit'));

describe('publish validation (strict)', () => {
  const check = validators.forPublish('order.placed');

  it('accepts a valid payload', () => {
    expect(check(orderPlacedData({ placedAt: '2024-05-01T10:00:00Z', note: 'hi' }))).toBeNull();
  });

  it('lists every failing path', () => {
    const issues = check({
      orderId: 'not-a-uuid',
      customer: { email: 'nope' },
      amount: { amount: 1.5, currency: 'eu' },
      items: [{ sku: 'a', qty: 0 }, { qty: 1 }],
      placedAt: 'yesterday',
    });
    expect(issues?.map((i) => i.path).sort()).toEqual(
      [
        '/amount/amount',
        '/amount/currency',
        '/customer/email',
        '/items/0/qty',
        '/items/1/sku',
        '/orderId',
        '/placedAt',
      ].sort(),
    );
  });

  it('reports missing required fields by path', () => {
    expect(check({})?.map((i) => i.path)).toEqual(['/orderId', '/customer', '/amount', '/items']);
    expect(check({})?.[0]?.message).toBe('is required');
  });

  it('rejects unknown fields at every depth', () => {
    const issues = check(
      orderPlacedData({
        extra: 1,
        customer: { email: 'a@b.co', vip: true },
        amount: { amount: 1, currency: 'EUR', fx: 1 },
      }),
    );
    expect(issues?.map((i) => i.path).sort()).toEqual(['/amount/fx', '/customer/vip', '/extra']);
    expect(issues?.[0]?.message).toMatch(/unknown fields are rejected/);
  });

  it('rejects a non-object, naming what it got', () => {
    expect(check('x')).toEqual([{ path: '', message: 'must be object, got a string "x"' }]);
  });

  it('says what would be valid: the allowed values, the format with an example, the fix for a Date', () => {
    const alert = validators.forPublish('system.alert');
    expect(alert({ level: 'loud', message: 'm' })).toEqual([
      { path: '/level', message: 'must be one of "info", "warn", "critical"' },
    ]);
    expect(check(orderPlacedData({ placedAt: 'yesterday' }))).toEqual([
      {
        path: '/placedAt',
        message:
          'must match format "date-time" (an RFC 3339 date-time such as "2026-03-01T08:00:00Z", as date.toISOString() writes)',
      },
    ]);
    expect(check(orderPlacedData({ placedAt: new Date(0) }))).toEqual([
      {
        path: '/placedAt',
        message:
          'must be string, got a Date (hint: date-time fields are ISO 8601 strings: pass date.toISOString())',
      },
    ]);
    expect(check(orderPlacedData({ placedAt: 1_700_000_000_000 }))?.[0]?.message).toBe(
      'must be string, got number 1700000000000 (hint: a string: String(value), or date.toISOString() for a timestamp)',
    );
  });

  it('throws CatalogMismatchError for an unknown type', () => {
    expect(() => validators.forPublish('nope')).toThrow(CatalogMismatchError);
  });

  it('compiles once per type', () => {
    expect(validators.forPublish('order.placed')).toBe(check);
  });
});

describe('consume validation (tolerant)', () => {
  const check = validators.forConsume('order.placed');

  it('passes unknown extra fields', () => {
    expect(
      check(orderPlacedData({ extra: 1, customer: { email: 'a@b.co', vip: true } })),
    ).toBeNull();
  });

  it('still fails missing and ill-typed required fields', () => {
    const issues = check({
      ...orderPlacedData({ amount: { amount: 'ten', currency: 'EUR' } }),
      items: undefined,
    });
    expect(issues?.map((i) => i.path).sort()).toEqual(['/amount/amount', '/items']);
  });
});

describe('schema transforms', () => {
  it('strict closes objects with properties, keeps explicit choices, handles compositions', () => {
    const strict = strictSchema({
      $id: 'x',
      type: 'object',
      properties: {
        a: { type: 'object', properties: { b: {} } },
        m: { type: 'object', additionalProperties: { type: 'string' } },
      },
      allOf: [{ properties: { c: {} } }],
    });
    expect(strict).toMatchObject({
      unevaluatedProperties: false,
      allOf: [{ properties: { c: {} } }],
      properties: {
        a: { additionalProperties: false },
        m: { additionalProperties: { type: 'string' } },
      },
    });
    expect(strict.$id).toBeUndefined();
    expect(strict.additionalProperties).toBeUndefined();
    expect(strict.allOf).toEqual([{ properties: { c: {} } }]);
  });

  it('tolerant opens closed objects and does not mutate the input', () => {
    const input = { type: 'object', properties: { a: {} }, additionalProperties: false };
    expect(tolerantSchema(input)).toEqual({ type: 'object', properties: { a: {} } });
    expect(input.additionalProperties).toBe(false);
  });

  it('strict composition accepts fields of every branch', () => {
    const v = createValidators({
      ...createTestCatalog('unit'),
      events: {
        'x.y': {
          type: 'x.y',
          stream: 'jobs',
          schema: {
            allOf: [
              { type: 'object', properties: { a: { type: 'string' } } },
              { type: 'object', properties: { b: { type: 'string' } } },
            ],
          },
        },
      },
    }).forPublish('x.y');
    expect(v({ a: 'x', b: 'y' })).toBeNull();
    expect(v({ a: 'x', c: 'y' })?.map((i) => i.path)).toEqual(['/c']);
  });
});
