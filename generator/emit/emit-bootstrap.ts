/**
 * `bootstrap.ts`: `bootstrap(bus)`, which checks that the bus runs this
 * catalogue, creates every stream and group and returns the bus's report,
 * and `bootstrapPlan`, what it creates, for docs and tools.
 */
import { type Project, StructureKind, VariableDeclarationKind } from 'ts-morph';
import type { CatalogStream } from '../../runtime/catalog.js';
import { partitionDlqKey, partitionStreamKey } from '../../schema/partition-keys.js';
import type { CatalogModel } from '../catalog/model.js';
import { tsDoc } from './describe.js';
import { CATALOG_FILE } from './emit-catalog.js';
import { jsonCode, writeCode } from './expressions.js';
import { createEmitProject, type Module, moduleSource, printModule } from './module.js';
import { compareCodePoints } from './names.js';

/** The file `emitBootstrap` produces. */
export const BOOTSTRAP_FILE = 'bootstrap.ts';

/** Builds the `bootstrap.ts` module of `model`. */
export function bootstrapModule(model: CatalogModel): Module {
  const streams = Object.values(model.catalog.streams)
    .map((stream) => ({
      stream: stream.name,
      ...streamKeysOf(stream),
      groups: Object.keys(stream.groups).sort(compareCodePoints),
    }))
    .sort((a, b) => compareCodePoints(a.stream, b.stream));
  const plan = jsonCode(streams);
  const catalogModule = `./${CATALOG_FILE.replace(/\.ts$/, '.js')}`;
  return {
    imports: [
      { name: 'CatalogMismatchError', from: 'schemabus', typeOnly: false },
      { name: 'BootstrapReport', from: 'schemabus', typeOnly: true },
      { name: 'EventBus', from: 'schemabus', typeOnly: true },
      { name: 'catalog', from: catalogModule, typeOnly: false },
    ],
    declarations: [
      {
        kind: StructureKind.VariableStatement,
        docs: tsDoc(
          'The streams (with their dead-letter streams) and consumer groups `bootstrap` creates, for docs and tools.',
        ),
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        declarations: [
          {
            name: 'bootstrapPlan',
            initializer: (writer) => {
              writeCode(writer, plan);
              writer.write(' as const');
            },
          },
        ],
      },
      {
        kind: StructureKind.Function,
        docs: tsDoc(
          'Creates every stream and consumer group of the catalogue; idempotent, safe to run at every start. Resolves with what it created and what was there. Throws `CatalogMismatchError`, creating nothing, when `bus` was built with another catalogue.',
        ),
        isExported: true,
        isAsync: true,
        name: 'bootstrap',
        parameters: [{ name: 'bus', type: 'EventBus' }],
        returnType: 'Promise<BootstrapReport>',
        statements: [
          (writer) => {
            writer.write('if (bus.catalog.fingerprint !== catalog.fingerprint)').block(() => {
              writer.writeLine(`throw new CatalogMismatchError(${mismatchMessage(model)});`);
            });
          },
          'return bus.bootstrap();',
        ],
      },
    ],
  };
}

/**
 * The keys bootstrap creates for `stream`: its stream and DLQ keys, or for a
 * partitioned stream its partition key field and every partition's keys.
 */
function streamKeysOf(stream: CatalogStream): Record<string, unknown> {
  if (stream.partitions === undefined) return { key: stream.key, dlqKey: stream.dlqKey };
  const partitions = Array.from({ length: stream.partitions.count }, (_, index) => {
    const key = partitionStreamKey(stream.key, index);
    return { key, dlqKey: partitionDlqKey(key) };
  });
  return { partitionKey: stream.partitions.key, partitions };
}

/** `bootstrap.ts` of `model`, printed. */
export function emitBootstrap(model: CatalogModel, project: Project = createEmitProject()): string {
  return printModule(project, BOOTSTRAP_FILE, moduleSource(model), bootstrapModule(model));
}

/** The template literal of the fingerprint mismatch error: the fact, then what to do. */
function mismatchMessage(model: CatalogModel): string {
  const source = model.sourcePath.replace(/[\\`]|\$\{/g, (match) => `\\${match}`);
  return `\`the bus runs catalogue \${bus.catalog.fingerprint} but this code was generated for \${catalog.fingerprint} (from ${source}): build the bus with this generated catalog, createBus({ catalog }), or rerun codegen\``;
}
