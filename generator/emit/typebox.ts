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
import {
  arrayCode,
  type Code,
  callCode,
  isScalar,
  jsonCode,
  listLayout,
  objectCode,
} from './expressions.js';

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

/** An entry of a TypeBox options object, and whether its value is a scalar. */
interface OptionEntry {
  readonly key: string;
  readonly value: Code;
  readonly scalar: boolean;
}

/** `key: false`, `key: true`: a closing keyword of an object. */
function flag(key: string, value: boolean): OptionEntry {
  return { key, value: String(value), scalar: true };
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
export function toTypeBox(schema: JsonSchema, inComposition = false): Code {
  if (typeof schema.$ref === 'string') return refName(schema.$ref);
  for (const [keyword, builder] of COMPOSITIONS) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const codes = branches.map((branch: JsonSchema) => toTypeBox(branch, true));
    const strict = isOpen(schema) ? [flag('unevaluatedProperties', false)] : [];
    return typeCall(builder, [arrayCode(codes, 'expanded')], schema, [], strict);
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
      return typeCall('Array', [items], schema, known);
    }
    case 'object':
      return objectOf(schema, known, inComposition);
    default:
      return typeCall('Unknown', [], schema, []);
  }
}

/**
 * `Type.Object(shape, options?)` (one property per line), or
 * `Type.Record(Type.String(), values)` for a map without `properties`.
 */
function objectOf(schema: JsonSchema, known: readonly string[], inComposition: boolean): Code {
  const additional = schema.additionalProperties;
  const properties = isSchema(schema.properties) ? schema.properties : undefined;
  if (properties === undefined) {
    if (additional === false) {
      return typeCall('Object', ['{}'], schema, known, [flag('additionalProperties', false)]);
    }
    const values = isSchema(additional) ? toTypeBox(additional) : unknownType();
    return typeCall('Record', ['Type.String()', values], schema, known);
  }
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const members = Object.entries(properties).map(([name, child]) => {
    const value = toTypeBox(child as JsonSchema);
    return [name, required.has(name) ? value : callCode('Type.Optional', [value])] as const;
  });
  const extra: OptionEntry[] = [];
  if (isSchema(additional)) {
    extra.push({ key: 'additionalProperties', value: toTypeBox(additional), scalar: false });
  } else if (typeof additional === 'boolean') {
    extra.push(flag('additionalProperties', additional));
  } else if (!inComposition && schema.unevaluatedProperties === undefined) {
    extra.push(flag('additionalProperties', false));
  }
  return typeCall('Object', [objectCode(members, 'expanded')], schema, known, extra);
}

/** `enum: [a]` -> `Type.Literal(a)`; several values -> a union of literals. */
function enumOf(schema: JsonSchema, values: readonly unknown[]): Code {
  if (values.length === 1) return literalOf(values[0], schema);
  const members = values.map((value) => literalOf(value, {}));
  return typeCall('Union', [arrayCode(members, 'expanded')], schema, []);
}

function literalOf(value: unknown, schema: JsonSchema): Code {
  if (value === null) return typeCall('Null', [], schema, []);
  return typeCall('Literal', [jsonCode(value)], schema, []);
}

function unknownType(): Code {
  return 'Type.Unknown()';
}

/**
 * `Type.<builder>(args, options?)`. The options object holds the keywords
 * `known` for the schema's type and the annotations, in the schema's order,
 * then `extra`; it is on one line when it holds few scalars (`listLayout`).
 */
function typeCall(
  builder: string,
  args: readonly Code[],
  schema: JsonSchema,
  known: readonly string[],
  extra: readonly OptionEntry[] = [],
): Code {
  const entries: OptionEntry[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    if (value === undefined || !(known.includes(keyword) || ANNOTATIONS.includes(keyword)))
      continue;
    entries.push({ key: keyword, value: jsonCode(value), scalar: isScalar(value) });
  }
  entries.push(...extra);
  if (entries.length === 0) return callCode(`Type.${builder}`, args);
  const options = objectCode(
    entries.map((entry) => [entry.key, entry.value] as const),
    listLayout(entries.map((entry) => entry.scalar)),
  );
  return callCode(`Type.${builder}`, [...args, options]);
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOpen(schema: JsonSchema): boolean {
  return schema.additionalProperties === undefined && schema.unevaluatedProperties === undefined;
}
