/**
 * `handlers.ts`: per service (a consumer group name, across every stream
 * where it exists) an interface with one handler per event it listens to,
 * and `subscribeXxx(bus, handlers, options?)`.
 *
 * Handlers are function-typed properties, not methods, so TypeScript checks
 * their parameters strictly: a handler taking the wrong payload does not
 * compile (methods would be checked bivariantly).
 */
import { type Project, type StatementStructures, StructureKind } from 'ts-morph';
import type { CatalogModel, ModelEvent, ModelService } from '../catalog/model.js';
import { codeList, eventDoc, tsDoc } from './describe.js';
import { objectCode, stringLiteral, writeCode } from './expressions.js';
import {
  createEmitProject,
  type Declaration,
  type ImportSpec,
  type Module,
  moduleSource,
  printModule,
} from './module.js';

/** The file `emitHandlers` produces. */
export const HANDLERS_FILE = 'handlers.ts';

/** The runtime types `handlers.ts` uses, when it declares any service. */
const RUNTIME_TYPES = [
  'Envelope',
  'EventBus',
  'HandlerContext',
  'SubscribeOptions',
  'Subscription',
];

/** Builds the `handlers.ts` module of `model`. */
export function handlersModule(model: CatalogModel): Module {
  const events = new Map(model.events.map((event) => [event.type, event]));
  const declarations: Declaration[] = [];
  const imports: ImportSpec[] = [];
  for (const service of model.services) {
    const handled = service.events.map((type) => {
      const event = events.get(type);
      if (event === undefined)
        throw new Error(`schemabus: service ${service.name} handles unknown event ${type}`);
      imports.push({ name: event.typeName, from: './events.js', typeOnly: true });
      return event;
    });
    declarations.push(handlersInterface(service, handled), subscribeFunction(service, handled));
  }
  if (declarations.length > 0) {
    for (const name of RUNTIME_TYPES) imports.push({ name, from: 'schemabus', typeOnly: true });
  } else {
    declarations.push('export {};');
  }
  return { imports, declarations };
}

/** `handlers.ts` of `model`, printed. */
export function emitHandlers(model: CatalogModel, project: Project = createEmitProject()): string {
  return printModule(project, HANDLERS_FILE, moduleSource(model), handlersModule(model));
}

/** `Envelope<CampaignCreated, 'campaign.created'>` */
export function envelopeType(event: ModelEvent): string {
  return `Envelope<${event.typeName}, ${stringLiteral(event.type)}>`;
}

function streamsOf(service: ModelService): string {
  const noun = service.streams.length === 1 ? 'stream' : 'streams';
  return `${noun} ${codeList(service.streams)}`;
}

function handlersInterface(
  service: ModelService,
  events: readonly ModelEvent[],
): StatementStructures {
  return {
    kind: StructureKind.Interface,
    docs: tsDoc(
      `Handlers of consumer group \`${service.name}\` on ${streamsOf(service)}: one per event it listens to. A missing handler, or one taking the wrong payload, is a compile error.`,
      'A handler that resolves acks its event; one that throws has it retried with backoff, then dead-lettered.',
    ),
    isExported: true,
    name: service.interfaceName,
    properties: events.map((event) => ({
      docs: tsDoc(...eventDoc(event)),
      isReadonly: true,
      name: event.methodName,
      type: `(event: ${envelopeType(event)}, ctx: HandlerContext) => Promise<void>`,
    })),
  };
}

function subscribeFunction(
  service: ModelService,
  events: readonly ModelEvent[],
): StatementStructures {
  const table = objectCode(
    events.map((event) => [
      event.type,
      `(event, ctx) => handlers.${event.methodName}(event as ${envelopeType(event)}, ctx)`,
    ]),
    'expanded',
  );
  return {
    kind: StructureKind.Function,
    docs: tsDoc(
      `Starts consuming as group \`${service.name}\` on ${streamsOf(service)}, each event handed to its handler in \`handlers\` (called as a method, so \`this\` is \`handlers\`).`,
    ),
    isExported: true,
    name: service.subscribeName,
    parameters: [
      { name: 'bus', type: 'EventBus' },
      { name: 'handlers', type: service.interfaceName },
      { name: 'options', hasQuestionToken: true, type: 'SubscribeOptions' },
    ],
    returnType: 'Subscription',
    statements: [
      (writer) => {
        writer.write(`return bus.subscribe(${stringLiteral(service.name)}, `);
        writeCode(writer, table);
        writer.write(', options);');
      },
    ],
  };
}
