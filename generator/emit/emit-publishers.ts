/**
 * `publishers.ts`: `createPublisher(bus, options?)`, an object with one
 * typed method per event, `(data, meta?) => Promise<Published>`, plus a typed
 * `publishBatch`.
 */
import {
  type MethodSignatureStructure,
  type OptionalKind,
  type Project,
  type StatementStructures,
  StructureKind,
  type WriterFunction,
} from 'ts-morph';
import type { CatalogModel } from '../catalog/model.js';
import { eventDoc, tsDoc } from './describe.js';
import { stringLiteral } from './expressions.js';
import {
  createEmitProject,
  type Declaration,
  type ImportSpec,
  type Module,
  moduleSource,
  printModule,
} from './module.js';

/** The file `emitPublishers` produces. */
export const PUBLISHERS_FILE = 'publishers.ts';

/** The batch method of `Publisher`; left out when an event's method takes the name. */
export const PUBLISH_BATCH_METHOD = 'publishBatch';

/** `withDefaults(defaults, meta)`: how a publisher merges its default attributes into a call's. */
const MERGE_META: StatementStructures = {
  kind: StructureKind.Function,
  docs: tsDoc('`meta` over `defaults`, attribute by attribute.'),
  name: 'withDefaults',
  parameters: [
    { name: 'defaults', type: 'PublishMeta | undefined' },
    { name: 'meta', type: 'PublishMeta | undefined' },
  ],
  returnType: 'PublishMeta | undefined',
  statements: [
    'if (defaults === undefined) return meta;',
    'if (meta === undefined) return defaults;',
    'return { ...defaults, ...meta };',
  ],
};

/** A method of the object `createPublisher` returns: `name(params) { body }`. */
interface PublisherMethod {
  readonly head: string;
  readonly body: readonly string[];
}

/** Builds the `publishers.ts` module of `model`. */
export function publishersModule(model: CatalogModel): Module {
  const hasBatch = !model.events.some((event) => event.methodName === PUBLISH_BATCH_METHOD);
  const signatures: OptionalKind<MethodSignatureStructure>[] = model.events.map((event) => ({
    docs: tsDoc(...eventDoc(event)),
    name: event.methodName,
    parameters: [
      { name: 'data', type: event.typeName },
      { name: 'meta', hasQuestionToken: true, type: 'PublishMeta' },
    ],
    returnType: 'Promise<Published>',
  }));
  const methods: PublisherMethod[] = model.events.map((event) => ({
    head: `${event.methodName}(data, meta)`,
    body: [`return bus.publish(${stringLiteral(event.type)}, data, withDefaults(defaults, meta));`],
  }));
  const declarations: Declaration[] = [
    {
      kind: StructureKind.Interface,
      docs: tsDoc('Options of {@link createPublisher}.'),
      isExported: true,
      name: 'PublisherOptions',
      properties: [
        {
          docs: tsDoc(
            'Envelope attributes given to every event of this publisher (a `source`, a `correlationId`...); the `meta` of one call overrides them attribute by attribute.',
          ),
          isReadonly: true,
          name: 'meta',
          hasQuestionToken: true,
          type: 'PublishMeta | undefined',
        },
      ],
    },
  ];
  if (hasBatch) {
    signatures.push({
      docs: tsDoc(
        'Publishes several events in one round trip, in order. Validates them all first: when one is invalid it rejects with `ValidationError` and publishes none.',
      ),
      name: PUBLISH_BATCH_METHOD,
      parameters: [{ name: 'items', type: 'readonly PublishBatchItem[]' }],
      returnType: 'Promise<Published[]>',
    });
    methods.push({
      head: `${PUBLISH_BATCH_METHOD}(items)`,
      body: [
        'const withMeta = items.map((item) => ({ ...item, meta: withDefaults(defaults, item.meta) }));',
        'return bus.publishBatch(withMeta);',
      ],
    });
    declarations.push({
      kind: StructureKind.TypeAlias,
      docs: tsDoc(
        'One event of `publishBatch`: its type, its payload and optional envelope attributes.',
      ),
      isExported: true,
      name: 'PublishBatchItem',
      type: '{ [K in EventType]: { readonly type: K; readonly data: EventMap[K]; readonly meta?: PublishMeta | undefined } }[EventType]',
    });
  }
  declarations.push(
    {
      kind: StructureKind.Interface,
      docs: tsDoc(
        'Typed publishing: one method per event of the catalogue. Each validates the payload (strict: unknown fields are rejected), rejects with `ValidationError` and writes nothing when it is invalid, and resolves once the event is stored (and sent, if realtime).',
      ),
      isExported: true,
      name: 'Publisher',
      methods: signatures,
    },
    MERGE_META,
    {
      kind: StructureKind.Function,
      docs: tsDoc(
        'A {@link Publisher} sending through `bus`, with default envelope attributes from `options`.',
      ),
      isExported: true,
      name: 'createPublisher',
      parameters: [
        { name: 'bus', type: 'EventBus' },
        { name: 'options', type: 'PublisherOptions', initializer: '{}' },
      ],
      returnType: 'Publisher',
      statements: ['const defaults = options.meta;', returnObject(methods)],
    },
  );
  const imports: ImportSpec[] = [
    { name: 'EventBus', from: 'schemabus', typeOnly: true },
    { name: 'Published', from: 'schemabus', typeOnly: true },
    { name: 'PublishMeta', from: 'schemabus', typeOnly: true },
    ...model.events.map((event) => ({ name: event.typeName, from: './events.js', typeOnly: true })),
  ];
  if (hasBatch) {
    imports.push(
      { name: 'EventMap', from: './events.js', typeOnly: true },
      { name: 'EventType', from: './events.js', typeOnly: true },
    );
  }
  return { imports, declarations };
}

/** `publishers.ts` of `model`, printed. */
export function emitPublishers(
  model: CatalogModel,
  project: Project = createEmitProject(),
): string {
  return printModule(project, PUBLISHERS_FILE, moduleSource(model), publishersModule(model));
}

/** `return { method() { ... }, ... };`, one method after the other. */
function returnObject(methods: readonly PublisherMethod[]): WriterFunction {
  return (writer) => {
    writer.write('return ').inlineBlock(() => {
      for (const method of methods) {
        writer.write(`${method.head} `).inlineBlock(() => {
          for (const line of method.body) writer.writeLine(line);
        });
        writer.write(',').newLine();
      }
    });
    writer.write(';');
  };
}
