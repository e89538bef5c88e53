/**
 * The publish-side ("strict") form of a payload schema, as exported to
 * `schemas/*.json` and used by `schemabus validate`: unknown fields are
 * rejected. Same rule as the runtime's `strictSchema` (runtime/validate.ts),
 * which the generator may not import; a test keeps the two equal.
 *
 * - an object schema with `properties` and no `additionalProperties` /
 *   `unevaluatedProperties` gets `additionalProperties: false`, unless it is
 *   a branch of `allOf`/`anyOf`/`oneOf`;
 * - such a composition gets `unevaluatedProperties: false` instead, so each
 *   branch may see the other branches' fields.
 */
import type { JsonSchema } from '../../runtime/catalog.js';

type Mutable = { [keyword: string]: unknown };

const MAP_KEYWORDS = ['properties', '$defs'];
const SCHEMA_KEYWORDS = ['items', 'additionalProperties'];
const LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf'];

/** A deep copy of `schema` in its strict form; key order is kept, added keys come last. */
export function strictSchema(schema: JsonSchema): JsonSchema {
  return strictNode(schema, false) as JsonSchema;
}

function strictNode(schema: unknown, inComposition: boolean): unknown {
  if (!isObject(schema)) return schema;
  const node: Mutable = { ...schema };
  for (const keyword of MAP_KEYWORDS) {
    const map = node[keyword];
    if (!isObject(map)) continue;
    const copy: Mutable = {};
    for (const name of Object.keys(map)) copy[name] = strictNode(map[name], false);
    node[keyword] = copy;
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    if (isObject(node[keyword])) node[keyword] = strictNode(node[keyword], false);
  }
  for (const keyword of LIST_KEYWORDS) {
    const list = node[keyword];
    if (Array.isArray(list)) node[keyword] = list.map((item) => strictNode(item, true));
  }
  if (node.additionalProperties !== undefined || node.unevaluatedProperties !== undefined) {
    return node;
  }
  if (LIST_KEYWORDS.some((keyword) => Array.isArray(node[keyword]))) {
    node.unevaluatedProperties = false;
  } else if (isObject(node.properties) && !inComposition) {
    node.additionalProperties = false;
  }
  return node;
}

function isObject(value: unknown): value is Mutable {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
