/**
 * The one ajv setup of schemabus: JSON Schema draft 2020-12, every error
 * reported (`allErrors`), formats from ajv-formats, catalogue annotations
 * allowed (`strict: false`). The runtime checks formats in ajv-formats'
 * `fast` mode (one regex each, on the publish and consume hot path;
 * `uuid` a plain function), `schemabus validate` in `full` mode (date
 * ranges, leap years).
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isUuid } from './uuid-format.js';

// ajv and ajv-formats are CommonJS with a `default` export; under ESM the default import may be either.
const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

/** An ajv instance for draft 2020-12 schemas. */
export type SchemaValidator = InstanceType<typeof Ajv2020>;

/** A new ajv instance; `formats` picks ajv-formats' mode. @default 'fast' */
export function createAjv(formats: 'fast' | 'full' = 'fast'): SchemaValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv, { mode: formats });
  // The same format as ajv-formats' regex, without the regex (uuid-format.ts).
  ajv.addFormat('uuid', { type: 'string', validate: isUuid });
  return ajv;
}
