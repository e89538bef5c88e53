/**
 * The generator's emit step: a `CatalogModel` in, every generated file out,
 * as data. Only the CLI writes files.
 *
 * This entry loads ts-morph (the TypeScript emitters print with it): import
 * it lazily, with `import()`, from code that does not always emit. The JSON
 * Schemas (`emit-schemas.ts`) and the generated paths (`generated-paths.ts`)
 * are free of it.
 */
import type { CatalogModel } from '../catalog/model.js';
import { BOOTSTRAP_FILE, bootstrapModule } from './emit-bootstrap.js';
import { CATALOG_FILE, catalogModule } from './emit-catalog.js';
import { EVENTS_FILE, eventsModule } from './emit-events.js';
import { HANDLERS_FILE, handlersModule } from './emit-handlers.js';
import { INDEX_FILE, indexModule } from './emit-index.js';
import { PUBLISHERS_FILE, publishersModule } from './emit-publishers.js';
import { REALTIME_FILE, realtimeModule } from './emit-realtime.js';
import { emitSchemas } from './emit-schemas.js';
import {
  createEmitProject,
  DEFAULT_OUT_DIR,
  type Module,
  moduleSource,
  printModule,
} from './module.js';
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
export { headerLines, moduleSource, regenerateCommand } from './module.js';

/** One module builder per generated TypeScript module, by file name. */
const MODULE_BUILDERS: ReadonlyArray<readonly [string, (model: CatalogModel) => Module]> = [
  [BOOTSTRAP_FILE, bootstrapModule],
  [CATALOG_FILE, catalogModule],
  [EVENTS_FILE, eventsModule],
  [HANDLERS_FILE, handlersModule],
  [INDEX_FILE, indexModule],
  [PUBLISHERS_FILE, publishersModule],
  [REALTIME_FILE, realtimeModule],
];

/**
 * Every generated file of `model`, by path relative to the output directory
 * (posix separators), in sorted order. Same model and `outDir`, same bytes.
 * The modules are printed in one ts-morph project; `outDir` (as the user
 * named it) goes into the headers' regenerate command only.
 */
export function generateFiles(
  model: CatalogModel,
  outDir: string = DEFAULT_OUT_DIR,
): Map<string, string> {
  const project = createEmitProject();
  const source = moduleSource(model, outDir);
  const files = new Map<string, string>();
  for (const [path, build] of MODULE_BUILDERS) {
    files.set(path, printModule(project, path, source, build(model)));
  }
  for (const [path, text] of emitSchemas(model)) files.set(path, text);
  return new Map([...files].sort(([a], [b]) => compareCodePoints(a, b)));
}
