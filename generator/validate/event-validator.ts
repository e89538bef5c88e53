/**
 * Checks event JSON (a CloudEvents envelope, a stored-format-1 message
 * `{"v":1,"type",...}` as a realtime channel carries it, or `{ type, data }`)
 * against the
 * catalogue's exported JSON Schemas with ajv (draft 2020-12, ajv-formats),
 * strictly as `publish` does: unknown fields are rejected. Every failing
 * path is reported. An envelope may leave out `time` and `datacontenttype`
 * (optional in CloudEvents 1.0); when there, they are checked.
 */
import type { ValidateFunction } from 'ajv';
import type { JsonSchema } from '../../runtime/catalog.js';
import { createAjv } from '../../schema/ajv.js';
import { ajvIssues, pointerChild, type SchemaIssue } from '../../schema/ajv-issues.js';
import { closestName } from '../../schema/closest-name.js';
import type { CatalogModel } from '../catalog/index.js';
import { envelopeJsonSchema, eventJsonSchema } from '../emit/emit-schemas.js';

/** One failing location of an event, as a JSON Pointer into the checked value. */
export type EventIssue = SchemaIssue;

/** Checks one event value: `[]` when valid. */
export type EventValidator = (value: unknown) => EventIssue[];

/** Keys of the `{ type, data }` form. */
const PLAIN_KEYS = ['type', 'data'];

/** Envelope attributes CloudEvents 1.0 makes optional that schemabus always writes. */
const OPTIONAL_IN_CLOUDEVENTS = ['time', 'datacontenttype'];

/**
 * The envelope schema as `validate` applies it: as strict as the exported
 * one (`time` RFC 3339, `datacontenttype` application/json, no unknown
 * attributes) except that `time` and `datacontenttype` may be missing, as
 * CloudEvents 1.0 allows (a producer other than schemabus may leave them out).
 */
function acceptedEnvelopeSchema(model: CatalogModel): JsonSchema {
  const schema = envelopeJsonSchema(model);
  const required = (schema.required as string[]).filter(
    (name) => !OPTIONAL_IN_CLOUDEVENTS.includes(name),
  );
  return { ...schema, required };
}

/** A validator for the events of `model`. */
export function createEventValidator(model: CatalogModel): EventValidator {
  const ajv = createAjv('full');
  const payloads = new Map<string, ValidateFunction>();
  for (const event of model.events)
    payloads.set(event.type, ajv.compile(eventJsonSchema(model, event)));
  const envelope = ajv.compile(acceptedEnvelopeSchema(model));
  const types = model.events.map((event) => event.type);

  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return [
        {
          path: '',
          message:
            'must be an envelope, a {"v":1,"type",...} message or a { "type", "data" } object',
        },
      ];
    }
    let record = value as Record<string, unknown>;
    const issues: EventIssue[] = [];
    if ('v' in record && !('specversion' in record)) {
      if (record.v !== 1) {
        return [
          {
            path: '/v',
            message: `must be 1 (stored format 1 is the only one this version knows), got ${JSON.stringify(record.v)}`,
          },
        ];
      }
      record = asEnvelope(record);
    }
    if ('specversion' in record) {
      if (!envelope(record))
        issues.push(...ajvIssues(envelope.errors, record, { skip: ['/type'] }));
    } else {
      for (const key of Object.keys(record)) {
        if (!PLAIN_KEYS.includes(key)) {
          issues.push({
            path: pointerChild('', key),
            message: 'is not allowed (an event is { "type", "data" } or a full envelope)',
          });
        }
      }
      for (const key of PLAIN_KEYS) {
        if (!(key in record)) issues.push({ path: pointerChild('', key), message: 'is required' });
      }
    }
    const type = record.type;
    if (type === undefined) return issues;
    const validate = typeof type === 'string' ? payloads.get(type) : undefined;
    if (validate === undefined) {
      const near = typeof type === 'string' ? closestName(type, types) : undefined;
      const hint = near === undefined ? '' : ` (did you mean "${near}"?)`;
      issues.push({
        path: '/type',
        message: `is not an event type of the catalogue: ${JSON.stringify(type)}${hint}`,
      });
      return issues;
    }
    if ('data' in record && !validate(record.data))
      issues.push(...ajvIssues(validate.errors, record.data, { prefix: '/data' }));
    return issues;
  };
}

/** A format-1 message as the envelope it stands for (the constants are implied by `v`). */
function asEnvelope(message: Record<string, unknown>): Record<string, unknown> {
  const { v: _version, ...rest } = message;
  return { specversion: '1.0', datacontenttype: 'application/json', ...rest };
}
