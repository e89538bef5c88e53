/**
 * JSON Schema (the catalogue's subset) -> TypeBox expression.
 *
 * Objects are strict the way `publish` is: an object schema that lists
 * `properties` and says nothing about extra fields gets
 * `additionalProperties: false`, except directly inside `allOf`/`anyOf`/
 * `oneOf`, where the composition gets `unevaluatedProperties: false` instead
 * (the rule of the runtime's `strictSchema`). Shared types are referenced by
 * the name of their constant.
 */
import type { JsonSchema } from '../../runtime/catalog.js';
import type { Doc } from './doc.js';
import { entriesOf, literal } from './literal.js';
import { arrayLiteral, call, objectLiteral, property } from './syntax.js';

/** Keywords that only annotate; kept as TypeBox options. */
const ANNOTATIONS = ['title', 'description', 'default', 'examples', 'deprecated'];

/** Validation keywords kept as options, by the `type` they apply to. */
const OPTIONS_BY_TYPE: { readonly [type: string]: readonly string[] } = {
  string: ['minLength', 'maxLength', 'pattern', 'format'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['minItems', 'maxItems', 'uniqueItems'],
  object: ['minProperties', 'maxProperties'],
  boolean: [],
  null: [],
};

/** Composition keywords and the TypeBox builder of each. */
const COMPOSITIONS: ReadonlyArray<readonly [string, string]> = [
  ['allOf', 'Intersect'],
  ['anyOf', 'Union'],
  ['oneOf', 'Union'],
];

const REF_PREFIX = '#/$defs/';

/** An argument of a `Type.X(...)` call and whether it is an object or array literal. */
interface Arg {
  readonly doc: Doc;
  readonly literal?: 'object' | 'array';
}

/** The constant name a `$ref` (`#/$defs/Money`) points to. */
export function refName(ref: string): string {
  if (!ref.startsWith(REF_PREFIX)) {
    throw new Error(`schemabus expected a $ref to ${REF_PREFIX}<Name>, got ${ref}`);
  }
  return ref.slice(REF_PREFIX.length);
}

/**
 * The TypeBox expression of `schema`. `inComposition`: the schema is a
 * branch of `allOf`/`anyOf`/`oneOf` (objects stay open there).
 */
export function toTypeBox(schema: JsonSchema, inComposition = false): Doc {
  if (typeof schema.$ref === 'string') return refName(schema.$ref);
  for (const [keyword, builder] of COMPOSITIONS) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const docs = branches.map((branch: JsonSchema) => toTypeBox(branch, true));
    const strict = isOpen(schema) ? [property('unevaluatedProperties', 'false')] : [];
    return typeCall(builder, [{ doc: arrayLiteral(docs), literal: 'array' }], schema, [], strict);
  }
  if (Array.isArray(schema.enum)) return enumOf(schema, schema.enum);
  if ('const' in schema) return literalOf(schema.const, schema);
  const type = typeof schema.type === 'string' ? schema.type : '';
  const known = OPTIONS_BY_TYPE[type] ?? [];
  switch (type) {
    case 'string':
      return typeCall('String', [], schema, known);
    case 'integer':
      return typeCall('Integer', [], schema, known);
    case 'number':
      return typeCall('Number', [], schema, known);
    case 'boolean':
      return typeCall('Boolean', [], schema, known);
    case 'null':
      return typeCall('Null', [], schema, known);
    case 'array': {
      const items = isSchema(schema.items) ? toTypeBox(schema.items) : unknownType();
      return typeCall('Array', [{ doc: items }], schema, known);
    }
    case 'object':
      return objectOf(schema, known, inComposition);
    default:
      return typeCall('Unknown', [], schema, []);
  }
}

function objectOf(schema: JsonSchema, known: readonly string[], inComposition: boolean): Doc {
  const additional = schema.additionalProperties;
  const properties = isSchema(schema.properties) ? schema.properties : undefined;
  if (properties === undefined) {
    if (additional === false) {
      const closed = [property('additionalProperties', 'false')];
      return typeCall('Object', [{ doc: '{}' }], schema, known, closed);
    }
    const values = isSchema(additional) ? toTypeBox(additional) : unknownType();
    return typeCall('Record', [{ doc: 'Type.String()' }, { doc: values }], schema, known);
  }
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const members = Object.entries(properties).map(([name, child]) => {
    const value = toTypeBox(child as JsonSchema);
    return property(name, required.has(name) ? value : call('Type.Optional', [value]));
  });
  const extra: Doc[] = [];
  if (isSchema(additional)) extra.push(property('additionalProperties', toTypeBox(additional)));
  else if (typeof additional === 'boolean') {
    extra.push(property('additionalProperties', String(additional)));
  } else if (!inComposition && schema.unevaluatedProperties === undefined) {
    extra.push(property('additionalProperties', 'false'));
  }
  const shape = objectLiteral(members, { expand: true });
  return typeCall('Object', [{ doc: shape, literal: 'object' }], schema, known, extra);
}

/** `enum: [a]` -> `Type.Literal(a)`; several values -> a union of literals. */
function enumOf(schema: JsonSchema, values: readonly unknown[]): Doc {
  if (values.length === 1) return literalOf(values[0], schema);
  const members = values.map((value) => literalOf(value, {}));
  return typeCall('Union', [{ doc: arrayLiteral(members), literal: 'array' }], schema, []);
}

function literalOf(value: unknown, schema: JsonSchema): Doc {
  if (value === null) return typeCall('Null', [], schema, []);
  return typeCall('Literal', [{ doc: literal(value) }], schema, []);
}

function unknownType(): Doc {
  return 'Type.Unknown()';
}

/**
 * `Type.<builder>(args, options?)`. The options object holds the keywords
 * `known` for the schema's type and the annotations, in the schema's order,
 * then `extra`. A last object or array argument is hugged unless the one
 * before it is an object too (the formatter's rule).
 */
function typeCall(
  builder: string,
  args: readonly Arg[],
  schema: JsonSchema,
  known: readonly string[],
  extra: readonly Doc[] = [],
): Doc {
  const kept: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (known.includes(keyword) || ANNOTATIONS.includes(keyword)) kept[keyword] = value;
  }
  const entries = [...entriesOf(kept), ...extra];
  const all: Arg[] =
    entries.length === 0
      ? [...args]
      : [...args, { doc: objectLiteral(entries), literal: 'object' }];
  const last = all[all.length - 1];
  const beforeLast = all[all.length - 2];
  const hugLast = last?.literal !== undefined && beforeLast?.literal !== last.literal;
  return call(
    `Type.${builder}`,
    all.map((arg) => arg.doc),
    { hugLast },
  );
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOpen(schema: JsonSchema): boolean {
  return schema.additionalProperties === undefined && schema.unevaluatedProperties === undefined;
}
