/**
 * The JSON Schema vocabulary of payloads: the subset TypeBox can express.
 * The supported keywords themselves are the checks of check-payload-schema.ts.
 */

/** JSON Schema `type` values a payload may use (one per schema). */
export const SCHEMA_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/** `format` values a payload may use. */
export const SCHEMA_FORMATS = [
  'date',
  'date-time',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'time',
  'uri',
  'uuid',
];

const USE_TYPES =
  'declare shared schemas under the top-level `types:` and use `$ref: "#/types/<Name>"`';
const USE_ALTERNATIVES = 'express the alternatives with `oneOf` or `anyOf`';
const USE_MAP = 'use `additionalProperties: { <schema> }` for a map with free keys';

/**
 * Standard JSON Schema keywords that payloads do not support, with what to
 * use instead (`''`: nothing specific, the supported keywords are listed).
 */
export const UNSUPPORTED_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['$anchor', ''],
  ['$defs', USE_TYPES],
  ['$dynamicRef', ''],
  ['$id', ''],
  ['$schema', ''],
  ['contains', 'use `items`'],
  ['contentEncoding', ''],
  ['contentMediaType', ''],
  ['definitions', USE_TYPES],
  ['dependentRequired', ''],
  ['dependentSchemas', ''],
  ['else', USE_ALTERNATIVES],
  ['if', USE_ALTERNATIVES],
  ['maxContains', ''],
  ['minContains', ''],
  ['not', 'list the allowed values with `enum` or the allowed shapes with `anyOf`'],
  ['nullable', 'use `anyOf: [{ <schema> }, { type: "null" }]`'],
  ['patternProperties', USE_MAP],
  ['prefixItems', 'use `items` with one schema for every item'],
  ['propertyNames', USE_MAP],
  ['readOnly', ''],
  ['then', USE_ALTERNATIVES],
  ['unevaluatedItems', ''],
  ['unevaluatedProperties', 'use `additionalProperties`'],
  ['writeOnly', ''],
]);
