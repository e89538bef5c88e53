/**
 * Schema rewriting for the model: `$ref: "#/types/X"` -> `#/$defs/X`, and
 * self-contained event schemas with the types they use under `$defs`.
 */
import type { JsonSchema } from '../../runtime/catalog.js';

const SCHEMA_VALUED = ['additionalProperties', 'items'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];

/** A deep copy of plain data (YAML scalars, lists, maps), keys in their order. */
function cloneData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneData);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneData(v)]));
  }
  return value;
}

/**
 * A copy of `schema` with every `$ref: "#/types/X"` in a schema position
 * rewritten to `#/$defs/X`. Data keywords (`default`, `examples`, `const`,
 * `enum`) are copied as they are, even when they hold a `$ref` key.
 */
export function rewriteRefs(schema: JsonSchema): JsonSchema {
  const entries = Object.entries(schema).map(([keyword, value]): [string, unknown] => {
    if (keyword === '$ref' && typeof value === 'string') {
      return [keyword, value.replace(/^#\/types\//, '#/$defs/')];
    }
    if (keyword === 'properties' && isSchema(value)) {
      const rewritten = Object.entries(value).map(([name, child]) => [name, rewriteChild(child)]);
      return [keyword, Object.fromEntries(rewritten)];
    }
    if (SCHEMA_VALUED.includes(keyword)) return [keyword, rewriteChild(value)];
    if (SCHEMA_LISTS.includes(keyword) && Array.isArray(value)) {
      return [keyword, value.map(rewriteChild)];
    }
    return [keyword, cloneData(value)];
  });
  return Object.fromEntries(entries);
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rewriteChild(value: unknown): unknown {
  return isSchema(value) ? rewriteRefs(value) : cloneData(value);
}

/**
 * The names of the types `start` refers to, directly or through other
 * types, sorted. `refsOf` gives the direct references of a type.
 */
export function transitiveRefs(
  start: readonly string[],
  refsOf: (type: string) => readonly string[],
): string[] {
  const found = new Set<string>();
  const pending = [...start];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (found.has(name)) continue;
    found.add(name);
    pending.push(...refsOf(name));
  }
  return [...found].sort();
}

/** `schema` with `$defs` holding the given (already rewritten) type schemas, by sorted name. */
export function withDefs(
  schema: JsonSchema,
  names: readonly string[],
  schemaOf: (type: string) => JsonSchema,
): JsonSchema {
  if (names.length === 0) return schema;
  return { ...schema, $defs: Object.fromEntries(names.map((n) => [n, schemaOf(n)])) };
}
