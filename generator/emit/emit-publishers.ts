/**
 * `publishers.ts`: `createPublisher(bus, options?)`, an object with one
 * typed method per event, `(data, meta?) => Promise<Published>`, plus a typed
 * `publishBatch`.
 */
import type { CatalogModel } from '../catalog/model.js';
import { eventDoc } from './describe.js';
import { type Doc, hardline, indent } from './doc.js';
import { type ImportSpec, type Module, printModule } from './module.js';
import {
  block,
  call,
  docComment,
  functionDeclaration,
  interfaceDeclaration,
  parameters,
  stringLiteral,
} from './syntax.js';

/** The file `emitPublishers` produces. */
export const PUBLISHERS_FILE = 'publishers.ts';

/** The batch method of `Publisher`; left out when an event's method takes the name. */
export const PUBLISH_BATCH_METHOD = 'publishBatch';

const MERGE_META = [
  docComment(['`meta` over `defaults`, attribute by attribute.']),
  'function withDefaults',
  parameters(['defaults: PublishMeta | undefined', 'meta: PublishMeta | undefined']),
  ': PublishMeta | undefined ',
  block([
    'if (defaults === undefined) return meta;',
    'if (meta === undefined) return defaults;',
    'return { ...defaults, ...meta };',
  ]),
];

/** Builds the `publishers.ts` module of `model`. */
export function publishersModule(model: CatalogModel): Module {
  const hasBatch = !model.events.some((event) => event.methodName === PUBLISH_BATCH_METHOD);
  const methods: Doc[] = model.events.map((event) => [
    docComment(eventDoc(event)),
    event.methodName,
    parameters([`data: ${event.typeName}`, 'meta?: PublishMeta']),
    ': Promise<Published>;',
  ]);
  const implementations: Doc[] = model.events.map((event) => [
    `${event.methodName}(data, meta) `,
    block([
      [
        'return ',
        call('bus.publish', [stringLiteral(event.type), 'data', 'withDefaults(defaults, meta)']),
        ';',
      ],
    ]),
    ',',
  ]);
  const statements: Doc[] = [
    interfaceDeclaration(['Options of {@link createPublisher}.'], 'PublisherOptions', [
      [
        docComment([
          'Envelope attributes given to every event of this publisher (a `source`, a `correlationId`...); the `meta` of one call overrides them attribute by attribute.',
        ]),
        'readonly meta?: PublishMeta;',
      ],
    ]),
  ];
  if (hasBatch) {
    methods.push([
      docComment([
        'Publishes several events in one round trip, in order. Validates them all first: when one is invalid it rejects with `ValidationError` and publishes none.',
      ]),
      `${PUBLISH_BATCH_METHOD}(items: readonly PublishBatchItem[]): Promise<Published[]>;`,
    ]);
    implementations.push([
      `${PUBLISH_BATCH_METHOD}(items) `,
      block([
        'const withMeta = items.map((item) => ({ ...item, meta: withDefaults(defaults, item.meta) }));',
        'return bus.publishBatch(withMeta);',
      ]),
      ',',
    ]);
    statements.push([
      docComment([
        'One event of `publishBatch`: its type, its payload and optional envelope attributes.',
      ]),
      'export type PublishBatchItem = {',
      indent([
        hardline,
        '[K in EventType]: { readonly type: K; readonly data: EventMap[K]; readonly meta?: PublishMeta };',
      ]),
      hardline,
      '}[EventType];',
    ]);
  }
  statements.push(
    interfaceDeclaration(
      [
        'Typed publishing: one method per event of the catalogue. Each validates the payload (strict: unknown fields are rejected), rejects with `ValidationError` and writes nothing when it is invalid, and resolves once the event is stored (and sent, if realtime).',
      ],
      'Publisher',
      methods,
    ),
    MERGE_META,
    functionDeclaration({
      docs: [
        'A {@link Publisher} sending through `bus`, with default envelope attributes from `options`.',
      ],
      name: 'createPublisher',
      params: ['bus: EventBus', 'options: PublisherOptions = {}'],
      returnType: 'Publisher',
      body: ['const defaults = options.meta;', ['return ', block(implementations), ';']],
    }),
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
  return { imports, statements };
}

/** `publishers.ts` of `model`, printed. */
export function emitPublishers(model: CatalogModel): string {
  return printModule(model.sourcePath, publishersModule(model));
}
