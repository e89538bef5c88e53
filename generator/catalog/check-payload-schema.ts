/**
 * Payload and shared-type JSON Schemas: the subset TypeBox can express.
 */
import type { JsonSchema } from '../../runtime/catalog.js';
import { closestName } from '../../schema/closest-name.js';
import type { DocRef, DocSchema } from './document.js';
import { describe, isYamlMap, own, type Reader, type YamlMap } from './reader.js';
import { SCHEMA_FORMATS, SCHEMA_TYPES, UNSUPPORTED_KEYWORDS } from './schema-subset.js';
import type { DocPath } from './source-map.js';
import { listNames } from './suggest.js';

type KeywordCheck = (reader: Reader, path: DocPath, value: unknown, refs: DocRef[]) => void;

/** The keyword a path ends with, backquoted for messages. */
const keywordOf = (path: DocPath): string => `\`${String(path.at(-1))}\``;

const nonNegative: KeywordCheck = (r, p, v) => r.integer(p, v, keywordOf(p), 0);
const finite: KeywordCheck = (r, p, v) => r.number(p, v, keywordOf(p), {});
const flag: KeywordCheck = (r, p, v) => r.boolean(p, v, keywordOf(p));
const text: KeywordCheck = (r, p, v) => {
  if (typeof v !== 'string') r.issues.atValue(p, `${keywordOf(p)} must be a string`);
};
const anything: KeywordCheck = () => {};
const schemaList: KeywordCheck = (r, p, v, refs) => {
  const list = r.list(p, v, keywordOf(p));
  if (list?.length === 0) r.issues.atValue(p, `${keywordOf(p)} must list at least one schema`);
  for (const [i, item] of (list ?? []).entries()) checkNode(r, [...p, i], item, refs);
};

const KEYWORDS: { readonly [keyword: string]: KeywordCheck } = {
  $ref: checkRef,
  additionalProperties: (r, p, v, refs) => {
    if (typeof v !== 'boolean') checkNode(r, p, v, refs);
  },
  allOf: schemaList,
  anyOf: schemaList,
  const: checkScalar,
  default: anything,
  deprecated: flag,
  description: text,
  enum: checkEnum,
  examples: (r, p, v) => r.list(p, v, '`examples`'),
  exclusiveMaximum: finite,
  exclusiveMinimum: finite,
  format: (r, p, v) => r.choice(p, v, '`format`', SCHEMA_FORMATS),
  items: (r, p, v, refs) => {
    if (Array.isArray(v)) {
      r.issues.atValue(p, '`items` must be one schema for every item; tuples are not supported');
    } else checkNode(r, p, v, refs);
  },
  maximum: finite,
  maxItems: nonNegative,
  maxLength: nonNegative,
  maxProperties: nonNegative,
  minimum: finite,
  minItems: nonNegative,
  minLength: nonNegative,
  minProperties: nonNegative,
  multipleOf: (r, p, v) => r.number(p, v, '`multipleOf`', { exclusiveMin: 0 }),
  oneOf: schemaList,
  pattern: checkPattern,
  properties: (r, p, v, refs) => {
    const map = r.map(p, v, '`properties`');
    for (const [name, child] of Object.entries(map ?? {})) checkNode(r, [...p, name], child, refs);
  },
  required: anything, // checked with `properties`, in checkRequired
  title: text,
  type: checkType,
  uniqueItems: flag,
};

const SUPPORTED = Object.keys(KEYWORDS).sort();

/**
 * Checks an event payload: a schema of the subset whose root is
 * `type: object`. Returns it with its `$ref`s whenever it is a map, valid or
 * not, so the later checks (references, channel params) report their
 * issues in the same pass; nothing is normalised while any issue stands.
 */
export function checkPayload(
  reader: Reader,
  path: DocPath,
  value: unknown,
  event: string,
): DocSchema | undefined {
  const refs: DocRef[] = [];
  checkNode(reader, path, value, refs);
  if (isYamlMap(value) && own(value, 'type') !== 'object') {
    const type = own(value, 'type');
    if (type === undefined) {
      reader.issues.atKey(
        path,
        `the payload of event \`${event}\` has no \`type\``,
        'add `type: object`: a payload is an object',
      );
    } else if (typeof type === 'string' && SCHEMA_TYPES.includes(type)) {
      reader.issues.atValue(
        [...path, 'type'],
        `the payload of event \`${event}\` must be \`type: object\`, got \`${type}\``,
        'a payload is an object: put the value in a property, `properties: { value: { ... } }`',
      );
    }
  }
  if (!isYamlMap(value)) return undefined;
  return { value: value as JsonSchema, path, refs };
}

/** Checks a shared type of `types:`: any schema of the subset; returned like a payload. */
export function checkTypeSchema(
  reader: Reader,
  path: DocPath,
  value: unknown,
): DocSchema | undefined {
  const refs: DocRef[] = [];
  checkNode(reader, path, value, refs);
  if (!isYamlMap(value)) return undefined;
  return { value: value as JsonSchema, path, refs };
}

function checkNode(reader: Reader, path: DocPath, value: unknown, refs: DocRef[]): void {
  const schema = reader.map(path, value, 'a JSON Schema');
  if (!schema) return;
  for (const [keyword, child] of Object.entries(schema)) {
    const check = Object.hasOwn(KEYWORDS, keyword) ? KEYWORDS[keyword] : undefined;
    if (check) {
      check(reader, [...path, keyword], child, refs);
      continue;
    }
    const unsupported = UNSUPPORTED_KEYWORDS.get(keyword);
    const near = closestName(keyword, SUPPORTED);
    reader.issues.atKey(
      [...path, keyword],
      unsupported === undefined
        ? `unknown JSON Schema keyword \`${keyword}\``
        : `JSON Schema keyword \`${keyword}\` is not supported: payloads use the subset TypeBox can express`,
      unsupported ||
        (near === undefined
          ? `supported keywords: ${listNames(SUPPORTED)}`
          : `did you mean \`${near}\`?`),
    );
  }
  checkRequired(reader, path, schema);
  checkBounds(reader, path, schema);
}

function checkType(reader: Reader, path: DocPath, value: unknown): void {
  if (Array.isArray(value)) {
    reader.issues.atValue(path, '`type` must name one type', 'for alternatives use `anyOf`');
  } else reader.choice(path, value, '`type`', SCHEMA_TYPES);
}

function checkRef(reader: Reader, path: DocPath, value: unknown, refs: DocRef[]): void {
  const match = typeof value === 'string' ? /^#\/types\/([^/]+)$/.exec(value) : null;
  if (match) refs.push({ target: match[1]!, path });
  else {
    reader.issues.atValue(
      path,
      `\`$ref\` must point to a shared type, got ${describe(value)}`,
      'write `$ref: "#/types/<Name>"` and declare `<Name>` under `types:`',
    );
  }
}

function checkScalar(reader: Reader, path: DocPath, value: unknown): void {
  if (value !== null && typeof value === 'object') {
    reader.issues.atValue(path, `${keywordOf(path)} must be a string, number, boolean or null`);
  }
}

function checkEnum(reader: Reader, path: DocPath, value: unknown): void {
  const list = reader.list(path, value, '`enum`');
  if (!list) return;
  if (list.length === 0) reader.issues.atValue(path, '`enum` must list at least one value');
  const seen = new Set<unknown>();
  list.forEach((item, i) => {
    checkScalar(reader, [...path, i], item);
    if (seen.has(item))
      reader.issues.atValue([...path, i], `\`enum\` lists ${describe(item)} twice`);
    seen.add(item);
  });
}

function checkPattern(reader: Reader, path: DocPath, value: unknown): void {
  if (typeof value !== 'string') {
    reader.issues.atValue(
      path,
      `\`pattern\` must be a regular expression string, got ${describe(value)}`,
    );
    return;
  }
  try {
    new RegExp(value, 'u');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    reader.issues.atValue(
      path,
      `\`pattern\` is not a valid JavaScript regular expression: ${reason}`,
    );
  }
}

function checkRequired(reader: Reader, path: DocPath, schema: YamlMap): void {
  const value = own(schema, 'required');
  if (value === undefined) return;
  const requiredPath = [...path, 'required'];
  const list = reader.list(requiredPath, value, '`required`');
  if (!list) return;
  const properties = own(schema, 'properties');
  const names = isYamlMap(properties) ? Object.keys(properties) : undefined;
  const seen = new Set<string>();
  list.forEach((item, i) => {
    if (typeof item !== 'string') {
      reader.issues.atValue(
        [...requiredPath, i],
        `\`required\` must list property names, got ${describe(item)}`,
      );
    } else if (seen.has(item)) {
      reader.issues.atValue([...requiredPath, i], `\`required\` lists \`${item}\` twice`);
    } else if (names && !names.includes(item)) {
      const near = closestName(item, names);
      reader.issues.atValue(
        [...requiredPath, i],
        `required property \`${item}\` is not declared in \`properties\``,
        near === undefined
          ? `declare \`${item}\` under \`properties\``
          : `did you mean \`${near}\`?`,
      );
    }
    if (typeof item === 'string') seen.add(item);
  });
}

const BOUNDS = [
  ['minLength', 'maxLength'],
  ['minimum', 'maximum'],
  ['minItems', 'maxItems'],
  ['minProperties', 'maxProperties'],
] as const;

function checkBounds(reader: Reader, path: DocPath, schema: YamlMap): void {
  for (const [low, high] of BOUNDS) {
    const min = own(schema, low);
    const max = own(schema, high);
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      reader.issues.atValue(
        [...path, high],
        `\`${high}\` ${max} is below \`${low}\` ${min}: no value can match`,
      );
    }
  }
}
