import { describe, expect, it } from 'vitest';
import { writeCode } from '../../../generator/emit/expressions.js';
import { createEmitProject } from '../../../generator/emit/module.js';
import { refName, toTypeBox } from '../../../generator/emit/typebox.js';
import type { JsonSchema } from '../../../runtime/catalog.js';

const project = createEmitProject();

/** The TypeBox expression of `schema`, written by the emit project's writer. */
function typebox(schema: JsonSchema): string {
  const writer = project.createWriter();
  writeCode(writer, toTypeBox(schema));
  return writer.toString();
}

describe('toTypeBox', () => {
  it.each<[string, { given: JsonSchema; want: string }]>([
    ['string', { given: { type: 'string' }, want: 'Type.String()' }],
    [
      'minLength, maxLength',
      {
        given: { type: 'string', minLength: 1, maxLength: 200 },
        want: 'Type.String({ minLength: 1, maxLength: 200 })',
      },
    ],
    [
      'pattern',
      {
        given: { type: 'string', pattern: '^[A-Z]{3}$' },
        want: "Type.String({ pattern: '^[A-Z]{3}$' })",
      },
    ],
    [
      'pattern with a backslash',
      {
        given: { type: 'string', pattern: '^\\d+$' },
        want: "Type.String({ pattern: '^\\\\d+$' })",
      },
    ],
    [
      'format',
      { given: { type: 'string', format: 'uuid' }, want: "Type.String({ format: 'uuid' })" },
    ],
    [
      'integer with bounds',
      {
        given: {
          type: 'integer',
          minimum: 0,
          maximum: 10,
          exclusiveMinimum: -1,
          exclusiveMaximum: 11,
          multipleOf: 2,
        },
        want: 'Type.Integer({\n  minimum: 0,\n  maximum: 10,\n  exclusiveMinimum: -1,\n  exclusiveMaximum: 11,\n  multipleOf: 2,\n})',
      },
    ],
    ['number', { given: { type: 'number', minimum: 0.5 }, want: 'Type.Number({ minimum: 0.5 })' }],
    [
      'a few scalar options stay on one line, however long',
      {
        given: { type: 'string', description: 'd'.repeat(60), format: 'date-time', maxLength: 30 },
        want: `Type.String({ description: '${'d'.repeat(60)}', format: 'date-time', maxLength: 30 })`,
      },
    ],
    ['boolean', { given: { type: 'boolean' }, want: 'Type.Boolean()' }],
    ['null', { given: { type: 'null' }, want: 'Type.Null()' }],
    ['no type', { given: {}, want: 'Type.Unknown()' }],
    [
      'array with items and limits',
      {
        given: {
          type: 'array',
          items: { type: 'string' },
          minItems: 1,
          maxItems: 3,
          uniqueItems: true,
        },
        want: 'Type.Array(Type.String(), { minItems: 1, maxItems: 3, uniqueItems: true })',
      },
    ],
    ['array without items', { given: { type: 'array' }, want: 'Type.Array(Type.Unknown())' }],
    [
      'enum of strings',
      {
        given: { type: 'string', enum: ['a', 'b'] },
        want: "Type.Union([\n  Type.Literal('a'),\n  Type.Literal('b'),\n])",
      },
    ],
    ['enum of one value', { given: { enum: ['only'] }, want: "Type.Literal('only')" }],
    [
      'enum with null and a number',
      { given: { enum: [null, 1] }, want: 'Type.Union([\n  Type.Null(),\n  Type.Literal(1),\n])' },
    ],
    ['const', { given: { const: 'v1' }, want: "Type.Literal('v1')" }],
    ['const true', { given: { const: true }, want: 'Type.Literal(true)' }],
    ['$ref to a shared type', { given: { $ref: '#/$defs/Money' }, want: 'Money' }],
    [
      'object: required, optional, closed',
      {
        given: {
          type: 'object',
          required: ['a'],
          properties: { a: { type: 'string' }, b: { type: 'integer' } },
        },
        want: 'Type.Object({\n  a: Type.String(),\n  b: Type.Optional(Type.Integer()),\n}, { additionalProperties: false })',
      },
    ],
    [
      'object with quoted property names',
      {
        given: { type: 'object', properties: { 'x-id': { type: 'string' } }, required: ['x-id'] },
        want: "Type.Object({\n  'x-id': Type.String(),\n}, { additionalProperties: false })",
      },
    ],
    [
      'object with minProperties, maxProperties',
      {
        given: {
          type: 'object',
          minProperties: 1,
          maxProperties: 2,
          properties: { a: { type: 'string' } },
        },
        want: 'Type.Object({\n  a: Type.Optional(Type.String()),\n}, { minProperties: 1, maxProperties: 2, additionalProperties: false })',
      },
    ],
    [
      'object with properties and additionalProperties schema',
      {
        given: {
          type: 'object',
          properties: { a: { type: 'string' } },
          additionalProperties: { type: 'number' },
        },
        want: 'Type.Object({\n  a: Type.Optional(Type.String()),\n}, {\n  additionalProperties: Type.Number(),\n})',
      },
    ],
    [
      'object with additionalProperties true stays open',
      {
        given: {
          type: 'object',
          properties: { a: { type: 'string' } },
          additionalProperties: true,
        },
        want: 'Type.Object({\n  a: Type.Optional(Type.String()),\n}, { additionalProperties: true })',
      },
    ],
    [
      'map: additionalProperties only',
      {
        given: { type: 'object', additionalProperties: { type: 'string' } },
        want: 'Type.Record(Type.String(), Type.String())',
      },
    ],
    [
      'free-form object',
      { given: { type: 'object' }, want: 'Type.Record(Type.String(), Type.Unknown())' },
    ],
    [
      'empty closed object',
      {
        given: { type: 'object', additionalProperties: false },
        want: 'Type.Object({}, { additionalProperties: false })',
      },
    ],
    [
      'anyOf: branches stay open, the union is closed',
      {
        given: {
          anyOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'null' }],
        },
        want: 'Type.Union([\n  Type.Object({\n    a: Type.Optional(Type.String()),\n  }),\n  Type.Null(),\n], { unevaluatedProperties: false })',
      },
    ],
    [
      'oneOf',
      {
        given: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
        want: 'Type.Union([\n  Type.String(),\n  Type.Integer(),\n], { unevaluatedProperties: false })',
      },
    ],
    [
      'allOf',
      {
        given: { allOf: [{ $ref: '#/$defs/A' }, { $ref: '#/$defs/B' }] },
        want: 'Type.Intersect([\n  A,\n  B,\n], { unevaluatedProperties: false })',
      },
    ],
    [
      'annotations: title, description, default, examples, deprecated',
      {
        given: {
          type: 'string',
          title: 'T',
          description: "It's",
          default: 'x',
          examples: ['x', 'y'],
          deprecated: true,
        },
        want: `Type.String({\n  title: 'T',\n  description: 'It\\'s',\n  default: 'x',\n  examples: ['x', 'y'],\n  deprecated: true,\n})`,
      },
    ],
    [
      'keywords of another type are dropped',
      { given: { type: 'string', minimum: 3 }, want: 'Type.String()' },
    ],
  ])('%s', (_, { given, want }) => {
    expect(typebox(given)).toBe(want);
  });

  it('rejects a $ref outside #/$defs', () => {
    expect(() => refName('#/types/Money')).toThrow(/#\/\$defs\//);
  });
});
