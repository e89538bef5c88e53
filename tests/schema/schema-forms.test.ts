import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../runtime/catalog.js';
import { strictSchema } from '../../schema/schema-forms.js';

describe('strictSchema', () => {
  it.each<[string, { given: JsonSchema; want: JsonSchema }]>([
    [
      'closes an object with properties',
      {
        given: { type: 'object', properties: { a: { type: 'string' } } },
        want: {
          type: 'object',
          properties: { a: { type: 'string' } },
          additionalProperties: false,
        },
      },
    ],
    [
      'leaves an explicit additionalProperties alone',
      {
        given: { type: 'object', properties: {}, additionalProperties: true },
        want: { type: 'object', properties: {}, additionalProperties: true },
      },
    ],
    [
      'leaves a map open',
      {
        given: { type: 'object', additionalProperties: { type: 'string' } },
        want: { type: 'object', additionalProperties: { type: 'string' } },
      },
    ],
    [
      'closes nested objects, array items and $defs',
      {
        given: {
          type: 'object',
          properties: { list: { type: 'array', items: { type: 'object', properties: { x: {} } } } },
          $defs: { T: { type: 'object', properties: { y: {} } } },
        },
        want: {
          type: 'object',
          properties: {
            list: {
              type: 'array',
              items: { type: 'object', properties: { x: {} }, additionalProperties: false },
            },
          },
          $defs: { T: { type: 'object', properties: { y: {} }, additionalProperties: false } },
          additionalProperties: false,
        },
      },
    ],
    [
      'closes a composition, not its branches',
      {
        given: { anyOf: [{ type: 'object', properties: { a: {} } }, { type: 'null' }] },
        want: {
          anyOf: [{ type: 'object', properties: { a: {} } }, { type: 'null' }],
          unevaluatedProperties: false,
        },
      },
    ],
  ])('%s', (_, { given, want }) => {
    expect(strictSchema(given)).toEqual(want);
  });

  it('does not change its input', () => {
    const given = { type: 'object', properties: { a: { type: 'string' } } };
    strictSchema(given);
    expect(given).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });
});
