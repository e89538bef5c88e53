/**
 * `catalog.ts`: the normalised catalogue as data, typed by the runtime's
 * `Catalog` (Redis keys, retention, groups with their events and retry
 * policy, channels, payload JSON Schemas) and kept literal (`as const`).
 */
import type { CatalogModel } from '../catalog/model.js';
import { literal } from './literal.js';
import { type Module, printModule } from './module.js';
import { docComment } from './syntax.js';

/** The file `emitCatalog` produces. */
export const CATALOG_FILE = 'catalog.ts';

/** Builds the `catalog.ts` module of `model`. */
export function catalogModule(model: CatalogModel): Module {
  return {
    imports: [{ name: 'Catalog', from: 'schemabus', typeOnly: true }],
    statements: [
      [
        docComment([
          `The catalogue \`${model.catalog.namespace}\` as the runtime needs it: build the bus with it, \`createBus({ catalog })\`.`,
        ]),
        'export const catalog = ',
        literal(model.catalog),
        ' as const satisfies Catalog;',
      ],
    ],
  };
}

/** `catalog.ts` of `model`, printed. */
export function emitCatalog(model: CatalogModel): string {
  return printModule(model.sourcePath, catalogModule(model));
}
