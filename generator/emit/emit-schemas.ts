/**
 * `schemas/<event type>.json` (one JSON Schema 2020-12 per event payload,
 * self-contained, in its strict publish form) and `schemas/envelope.json`
 * (the CloudEvents envelope), for CI and for other languages.
 */
import type { JsonSchema } from '../../runtime/catalog.js';
import { strictSchema } from '../../schema/schema-forms.js';
import type { CatalogModel, ModelEvent } from '../catalog/model.js';

/** The JSON Schema dialect of every exported schema. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Folder of the exported schemas, relative to the output directory. */
export const SCHEMAS_DIR = 'schemas';

/** File name of the envelope schema inside `schemas/`. */
export const ENVELOPE_SCHEMA_FILE = 'envelope.json';

/** `$id` of an exported schema: `schemabus:campaigns/campaign.created`. */
export function schemaId(model: CatalogModel, name: string): string {
  return `schemabus:${model.catalog.namespace}/${name}`;
}

/**
 * The exported schema of one event payload: `$schema`, `$id`, `title` (the
 * TypeScript name), `description`, the strict payload schema, then the
 * shared types it uses under `$defs`.
 */
export function eventJsonSchema(model: CatalogModel, event: ModelEvent): JsonSchema {
  const source = model.catalog.events[event.type]?.schema ?? event.schema;
  const { $defs, title, description, $schema, $id, ...rest } = strictSchema(source);
  const text = event.description ?? description;
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: schemaId(model, event.type),
    title: event.typeName,
    ...(text === undefined ? {} : { description: text }),
    ...rest,
    ...($defs === undefined ? {} : { $defs }),
  };
}

/** The CloudEvents 1.0 envelope of every event of the catalogue (runtime `Envelope`). */
export function envelopeJsonSchema(model: CatalogModel): JsonSchema {
  const text = { type: 'string' };
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: schemaId(model, 'envelope'),
    title: 'Envelope',
    description: `CloudEvents 1.0 envelope of the events of catalogue \`${model.catalog.namespace}\`; \`data\` is the payload of the event named by \`type\` (see ${SCHEMAS_DIR}/<type>.json).`,
    type: 'object',
    required: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: { type: 'string', minLength: 1, description: 'Unique, time-ordered event id.' },
      source: { type: 'string', minLength: 1 },
      type: { enum: model.events.map((event) => event.type) },
      time: { type: 'string', format: 'date-time' },
      datacontenttype: { const: 'application/json' },
      data: { description: 'The payload, valid against the schema of its type.' },
      subject: text,
      correlationid: text,
      causationid: text,
      traceparent: { type: 'string', description: 'W3C trace context.' },
      replayfor: {
        type: 'string',
        description: 'Set on a dead-letter replay: the only group that handles the event.',
      },
    },
    additionalProperties: false,
  };
}

/** Every schema file, by path relative to the output directory. */
export function emitSchemas(model: CatalogModel): Map<string, string> {
  const files = new Map<string, string>();
  for (const event of model.events) {
    files.set(`${SCHEMAS_DIR}/${event.type}.json`, printJson(eventJsonSchema(model, event)));
  }
  files.set(`${SCHEMAS_DIR}/${ENVELOPE_SCHEMA_FILE}`, printJson(envelopeJsonSchema(model)));
  return files;
}

/** JSON with two-space indentation and a final newline; keys in the order built above. */
export function printJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
