/**
 * `catalog.ts`: the normalised catalogue as data, typed by the runtime's
 * `Catalog` (Redis keys, retention, groups with their events and retry
 * policy, channels, payload JSON Schemas) and kept literal (`as const`).
 */
import { type Project, StructureKind, VariableDeclarationKind } from 'ts-morph';
import type { CatalogModel } from '../catalog/model.js';
import { tsDoc } from './describe.js';
import { jsonCode, writeCode } from './expressions.js';
import { createEmitProject, type Module, moduleSource, printModule } from './module.js';

/** The file `emitCatalog` produces. */
export const CATALOG_FILE = 'catalog.ts';

/** Builds the `catalog.ts` module of `model`. */
export function catalogModule(model: CatalogModel): Module {
  const data = jsonCode(model.catalog);
  return {
    imports: [{ name: 'Catalog', from: 'schemabus', typeOnly: true }],
    declarations: [
      {
        kind: StructureKind.VariableStatement,
        docs: tsDoc(
          `The catalogue \`${model.catalog.namespace}\` as the runtime needs it: build the bus with it, \`createBus({ catalog })\`.`,
        ),
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [
          {
            name: 'catalog',
            initializer: (writer) => {
              writeCode(writer, data);
              writer.write(' as const satisfies Catalog');
            },
          },
        ],
      },
    ],
  };
}

/** `catalog.ts` of `model`, printed. */
export function emitCatalog(model: CatalogModel, project: Project = createEmitProject()): string {
  return printModule(project, CATALOG_FILE, moduleSource(model), catalogModule(model));
}
