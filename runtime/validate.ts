/**
 * Payload validators compiled once per event type from the catalogue's JSON
 * Schemas (draft 2020-12, ajv with ajv-formats in fast mode).
 *
 * - publish side is strict: an object schema that lists `properties` and says
 *   nothing about extra ones rejects unknown fields;
 * - consume side is a tolerant reader: `additionalProperties: false` and
 *   `unevaluatedProperties: false` are dropped, so fields added by a newer
 *   producer pass, while missing or ill-typed required fields still fail.
 *
 * Every failing path is reported (`allErrors`).
 */

import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Catalog, JsonSchema } from './catalog.js';
import { unknownType } from './envelope.js';
import type { ValidationIssue } from './errors.js';

// ajv and ajv-formats are CommonJS with a `default` export; under ESM the default import may be either.
const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

/** Checks one payload: `null` when valid, else every issue found. */
export type PayloadCheck = (data: unknown) => ValidationIssue[] | null;

/** Compiled validators of one catalogue. */
export interface Validators {
  /** The strict check run before publishing `type`. Throws `CatalogMismatchError` for an unknown type. */
  forPublish(type: string): PayloadCheck;
  /** The tolerant check run before handling `type`. Throws `CatalogMismatchError` for an unknown type. */
  forConsume(type: string): PayloadCheck;
}

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

function issueOf(error: ErrorObject): ValidationIssue {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        path: `${error.instancePath}/${escapePointer(String(params.missingProperty))}`,
        message: 'is required',
      };
    case 'additionalProperties':
      return {
        path: `${error.instancePath}/${escapePointer(String(params.additionalProperty))}`,
        message: 'is not in the schema (unknown fields are rejected on publish)',
      };
    case 'unevaluatedProperties':
      return {
        path: `${error.instancePath}/${escapePointer(String(params.unevaluatedProperty))}`,
        message: 'is not in the schema (unknown fields are rejected on publish)',
      };
    default:
      return { path: error.instancePath, message: error.message ?? `fails ${error.keyword}` };
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function toCheck(validate: ValidateFunction): PayloadCheck {
  return (data) => {
    if (validate(data)) return null;
    const seen = new Set<string>();
    const issues: ValidationIssue[] = [];
    for (const error of validate.errors ?? []) {
      // `if`/`then` failures repeat what the branch keywords already said.
      if (error.keyword === 'if') continue;
      const issue = issueOf(error);
      const key = `${issue.path}\u0000${issue.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        issues.push(issue);
      }
    }
    return issues.length > 0 ? issues : [{ path: '', message: 'is invalid' }];
  };
}

function newAjv() {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv, { mode: 'fast' });
  return ajv;
}

/**
 * Validators for every event of `catalog`, each compiled on first use and
 * kept. Compile errors (a schema ajv rejects) are thrown on that first use.
 */
export function createValidators(catalog: Catalog): Validators {
  const publishAjv = newAjv();
  const consumeAjv = newAjv();
  const publish = new Map<string, PayloadCheck>();
  const consume = new Map<string, PayloadCheck>();

  function get(
    cache: Map<string, PayloadCheck>,
    ajv: ReturnType<typeof newAjv>,
    transform: (schema: JsonSchema) => JsonSchema,
    type: string,
  ): PayloadCheck {
    let check = cache.get(type);
    if (check === undefined) {
      const event = catalog.events[type];
      if (event === undefined) throw unknownType(catalog, type);
      check = toCheck(ajv.compile(transform(event.schema)));
      cache.set(type, check);
    }
    return check;
  }

  return {
    forPublish: (type) => get(publish, publishAjv, strictSchema, type),
    forConsume: (type) => get(consume, consumeAjv, tolerantSchema, type),
  };
}
