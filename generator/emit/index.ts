/**
 * The generator's emit step: a `CatalogModel` in, every generated file out,
 * as data. Only the CLI writes files.
 */
import type { CatalogModel } from '../catalog/model.js';
import { BOOTSTRAP_FILE, emitBootstrap } from './emit-bootstrap.js';
import { CATALOG_FILE, emitCatalog } from './emit-catalog.js';
import { EVENTS_FILE, emitEvents } from './emit-events.js';
import { emitHandlers, HANDLERS_FILE } from './emit-handlers.js';
import { emitIndex, INDEX_FILE } from './emit-index.js';
import { emitPublishers, PUBLISHERS_FILE } from './emit-publishers.js';
import { emitRealtime, REALTIME_FILE } from './emit-realtime.js';
import { emitSchemas } from './emit-schemas.js';
import { compareCodePoints } from './names.js';

export { emitBootstrap } from './emit-bootstrap.js';
export { emitCatalog } from './emit-catalog.js';
export { emitEvents } from './emit-events.js';
export { emitHandlers } from './emit-handlers.js';
export { emitIndex } from './emit-index.js';
export { emitPublishers } from './emit-publishers.js';
export { emitRealtime } from './emit-realtime.js';
export { emitSchemas, envelopeJsonSchema, eventJsonSchema, SCHEMAS_DIR } from './emit-schemas.js';
export { isGeneratedPath } from './generated-paths.js';
export { headerLines } from './module.js';

/** One emitter per generated TypeScript module, by file name. */
const MODULE_EMITTERS: ReadonlyArray<readonly [string, (model: CatalogModel) => string]> = [
  [BOOTSTRAP_FILE, emitBootstrap],
  [CATALOG_FILE, emitCatalog],
  [EVENTS_FILE, emitEvents],
  [HANDLERS_FILE, emitHandlers],
  [INDEX_FILE, emitIndex],
  [PUBLISHERS_FILE, emitPublishers],
  [REALTIME_FILE, emitRealtime],
];

/**
 * Every generated file of `model`, by path relative to the output directory
 * (posix separators), in sorted order. Same model, same bytes.
 */
export function generateFiles(model: CatalogModel): Map<string, string> {
  const files = new Map<string, string>();
  for (const [path, emit] of MODULE_EMITTERS) files.set(path, emit(model));
  for (const [path, text] of emitSchemas(model)) files.set(path, text);
  return new Map([...files].sort(([a], [b]) => compareCodePoints(a, b)));
}
