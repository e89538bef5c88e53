/**
 * The two forms of a payload schema, one rule for the runtime (publish and
 * consume validators), `schemas/*.json` and `schemabus validate`:
 *
 * - strict (publish side): an object schema that lists `properties` and says
 *   nothing about extra fields gets `additionalProperties: false`, unless it
 *   is a branch of `allOf`/`anyOf`/`oneOf`; such a composition gets
 *   `unevaluatedProperties: false` instead, so each branch may see the other
 *   branches' fields;
 * - tolerant (consume side, a tolerant reader): `additionalProperties: false`
 *   and `unevaluatedProperties: false` are dropped everywhere, so fields added
 *   by a newer producer pass while missing or ill-typed required ones fail.
 *
 * Both return a deep copy (key order kept, added keywords last) without `$id`.
 */
/** A JSON Schema object (the runtime's `JsonSchema`, which this leaf may not import). */
export type JsonSchema = { readonly [keyword: string]: unknown };

type Mutable = { [keyword: string]: unknown };

const SCHEMA_MAP_KEYWORDS = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
];
const SCHEMA_KEYWORDS = [
  'items',
  'additionalItems',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedItems',
  'additionalProperties',
  'unevaluatedProperties',
];
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

function isObject(value: unknown): value is Mutable {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of `schema` with `visit` applied to every subschema (parents first). */
function mapSchema(
  schema: unknown,
  visit: (node: Mutable, inComposition: boolean) => void,
  inComposition = false,
): unknown {
  if (!isObject(schema)) return schema;
  const node: Mutable = { ...schema };
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const map = node[keyword];
    if (isObject(map)) {
      const copy: Mutable = {};
      for (const name of Object.keys(map)) copy[name] = mapSchema(map[name], visit);
      node[keyword] = copy;
    }
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    if (isObject(node[keyword])) node[keyword] = mapSchema(node[keyword], visit);
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const list = node[keyword];
    if (Array.isArray(list)) {
      const composed = keyword !== 'prefixItems';
      node[keyword] = list.map((item) => mapSchema(item, visit, composed));
    }
  }
  visit(node, inComposition);
  return node;
}

/**
 * The publish-side schema: every object schema with `properties` and no word
 * on extra fields gets `additionalProperties: false`; a composition
 * (`allOf`/`anyOf`/`oneOf`) gets `unevaluatedProperties: false` instead of its
 * branches, so each branch may see the others' fields.
 */
export function strictSchema(schema: JsonSchema): JsonSchema {
  const strict = mapSchema(schema, (node, inComposition) => {
    const composite = ['allOf', 'anyOf', 'oneOf'].some((k) => Array.isArray(node[k]));
    const open =
      node.additionalProperties === undefined && node.unevaluatedProperties === undefined;
    if (!open) return;
    if (composite) node.unevaluatedProperties = false;
    else if (isObject(node.properties) && !inComposition) node.additionalProperties = false;
  }) as Mutable;
  delete strict.$id;
  return strict;
}

/** The consume-side schema: `additionalProperties: false` and `unevaluatedProperties: false` removed everywhere. */
export function tolerantSchema(schema: JsonSchema): JsonSchema {
  const tolerant = mapSchema(schema, (node) => {
    if (node.additionalProperties === false) delete node.additionalProperties;
    if (node.unevaluatedProperties === false) delete node.unevaluatedProperties;
  }) as Mutable;
  delete tolerant.$id;
  return tolerant;
}
