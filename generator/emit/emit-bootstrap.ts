/**
 * `bootstrap.ts`: `bootstrap(bus)`, which checks that the bus runs this
 * catalogue and creates every stream and group, and `bootstrapPlan`, what it
 * creates, for docs and tools.
 */
import type { CatalogModel } from '../catalog/model.js';
import { CATALOG_FILE } from './emit-catalog.js';
import { literal } from './literal.js';
import { type Module, printModule } from './module.js';
import { compareCodePoints } from './names.js';
import { block, call, docComment, functionDeclaration } from './syntax.js';

/** The file `emitBootstrap` produces. */
export const BOOTSTRAP_FILE = 'bootstrap.ts';

/** Builds the `bootstrap.ts` module of `model`. */
export function bootstrapModule(model: CatalogModel): Module {
  const streams = Object.values(model.catalog.streams)
    .map((stream) => ({
      stream: stream.name,
      key: stream.key,
      dlqKey: stream.dlqKey,
      groups: Object.keys(stream.groups).sort(compareCodePoints),
    }))
    .sort((a, b) => compareCodePoints(a.stream, b.stream));
  const catalogModule = `./${CATALOG_FILE.replace(/\.ts$/, '.js')}`;
  return {
    imports: [
      { name: 'CatalogMismatchError', from: 'schemabus', typeOnly: false },
      { name: 'EventBus', from: 'schemabus', typeOnly: true },
      { name: 'catalog', from: catalogModule, typeOnly: false },
    ],
    statements: [
      [
        docComment([
          'The streams (with their dead-letter streams) and consumer groups `bootstrap` creates, for docs and tools.',
        ]),
        'export const bootstrapPlan = ',
        literal(streams),
        ' as const;',
      ],
      functionDeclaration({
        docs: [
          'Creates every stream and consumer group of the catalogue; idempotent, safe to run at every start. Throws `CatalogMismatchError`, creating nothing, when `bus` was built with another catalogue.',
        ],
        name: 'bootstrap',
        async: true,
        params: ['bus: EventBus'],
        returnType: 'Promise<void>',
        body: [
          [
            'if (bus.catalog.fingerprint !== catalog.fingerprint) ',
            block([['throw ', call('new CatalogMismatchError', [mismatchMessage(model)]), ';']]),
          ],
          'await bus.bootstrap();',
        ],
      }),
    ],
  };
}

/** `bootstrap.ts` of `model`, printed. */
export function emitBootstrap(model: CatalogModel): string {
  return printModule(model.sourcePath, bootstrapModule(model));
}

/** The template literal of the fingerprint mismatch error: the fact, then what to do. */
function mismatchMessage(model: CatalogModel): string {
  const source = model.sourcePath.replace(/[\\`]|\$\{/g, (match) => `\\${match}`);
  return `\`the bus runs catalogue \${bus.catalog.fingerprint} but this code was generated for \${catalog.fingerprint} (from ${source}): build the bus with this generated catalog, createBus({ catalog }), or rerun codegen\``;
}
