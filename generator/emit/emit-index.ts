/**
 * `index.ts`: re-exports every generated module.
 */
import { type Project, StructureKind } from 'ts-morph';
import type { CatalogModel } from '../catalog/model.js';
import { BOOTSTRAP_FILE } from './emit-bootstrap.js';
import { CATALOG_FILE } from './emit-catalog.js';
import { EVENTS_FILE } from './emit-events.js';
import { HANDLERS_FILE } from './emit-handlers.js';
import { PUBLISHERS_FILE } from './emit-publishers.js';
import { REALTIME_FILE } from './emit-realtime.js';
import { createEmitProject, type Module, moduleSource, printModule } from './module.js';
import { compareNatural } from './names.js';

/** The file `emitIndex` produces. */
export const INDEX_FILE = 'index.ts';

/** The modules `index.ts` re-exports. */
export const REEXPORTED_FILES = [
  BOOTSTRAP_FILE,
  CATALOG_FILE,
  EVENTS_FILE,
  HANDLERS_FILE,
  PUBLISHERS_FILE,
  REALTIME_FILE,
];

/** Builds the `index.ts` module: one `export * from` per module, in natural order. */
export function indexModule(): Module {
  const specifiers = REEXPORTED_FILES.map((file) => `./${file.replace(/\.ts$/, '.js')}`);
  return {
    imports: [],
    declarations: [
      specifiers.sort(compareNatural).map((moduleSpecifier) => ({
        kind: StructureKind.ExportDeclaration as const,
        moduleSpecifier,
      })),
    ],
  };
}

/** `index.ts` of `model`, printed. */
export function emitIndex(model: CatalogModel, project: Project = createEmitProject()): string {
  return printModule(project, INDEX_FILE, moduleSource(model), indexModule());
}
