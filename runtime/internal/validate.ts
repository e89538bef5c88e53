/**
 * Payload validators compiled once per event type from the catalogue's JSON
 * Schemas (draft 2020-12, ajv with ajv-formats in fast mode).
 * The publish side checks the strict form of each schema, the consume side
 * its tolerant form (schema/schema-forms.ts).
 *
 * Every failing path is reported (`allErrors`).
 */

import type { ValidateFunction } from 'ajv';
import { createAjv, type SchemaValidator } from '../../schema/ajv.js';
import { ajvIssues } from '../../schema/ajv-issues.js';
import { strictSchema, tolerantSchema } from '../../schema/schema-forms.js';
import type { Catalog, JsonSchema } from '../catalog.js';
import type { ValidationIssue } from '../errors.js';
import { unknownType } from './envelope.js';

/** Checks one payload: `null` when valid, else every issue found. */
export type PayloadCheck = (data: unknown) => ValidationIssue[] | null;

/** Compiled validators of one catalogue. */
export interface Validators {
  /** The strict check run before publishing `type`. Throws `CatalogMismatchError` for an unknown type. */
  forPublish(type: string): PayloadCheck;
  /** The tolerant check run before handling `type`. Throws `CatalogMismatchError` for an unknown type. */
  forConsume(type: string): PayloadCheck;
}

function toCheck(validate: ValidateFunction): PayloadCheck {
  return (data) => {
    if (validate(data)) return null;
    const issues = ajvIssues(validate.errors, data);
    return issues.length > 0 ? issues : [{ path: '', message: 'is invalid' }];
  };
}

/**
 * Validators for every event of `catalog`, each compiled on first use and
 * kept. Compile errors (a schema ajv rejects) are thrown on that first use.
 */
export function createValidators(catalog: Catalog): Validators {
  const publishAjv = createAjv();
  const consumeAjv = createAjv();
  const publish = new Map<string, PayloadCheck>();
  const consume = new Map<string, PayloadCheck>();

  function get(
    cache: Map<string, PayloadCheck>,
    ajv: SchemaValidator,
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
