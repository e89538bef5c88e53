/**
 * `handlers.ts`: per service (a consumer group name, across every stream
 * where it exists) an interface with one handler per event it listens to,
 * and `subscribeXxx(bus, handlers, options?)`.
 *
 * Handlers are function-typed properties, not methods, so TypeScript checks
 * their parameters strictly: a handler taking the wrong payload does not
 * compile (methods would be checked bivariantly).
 */
import type { CatalogModel, ModelEvent, ModelService } from '../catalog/model.js';
import { codeList, eventDoc } from './describe.js';
import { type Doc, group, indent, line } from './doc.js';
import { type ImportSpec, type Module, printModule } from './module.js';
import {
  call,
  docComment,
  functionDeclaration,
  functionType,
  interfaceDeclaration,
  objectLiteral,
  property,
  stringLiteral,
  typeArguments,
} from './syntax.js';

/** The file `emitHandlers` produces. */
export const HANDLERS_FILE = 'handlers.ts';

/** Builds the `handlers.ts` module of `model`. */
export function handlersModule(model: CatalogModel): Module {
  const events = new Map(model.events.map((event) => [event.type, event]));
  const statements: Doc[] = [];
  const imports: ImportSpec[] = [];
  for (const service of model.services) {
    const handled = service.events.map((type) => {
      const event = events.get(type);
      if (event === undefined)
        throw new Error(`schemabus: service ${service.name} handles unknown event ${type}`);
      imports.push({ name: event.typeName, from: './events.js', typeOnly: true });
      return event;
    });
    statements.push(handlersInterface(service, handled), subscribeFunction(service, handled));
  }
  if (statements.length > 0) {
    for (const name of [
      'Envelope',
      'EventBus',
      'HandlerContext',
      'SubscribeOptions',
      'Subscription',
    ]) {
      imports.push({ name, from: 'schemabus', typeOnly: true });
    }
  } else {
    statements.push('export {};');
  }
  return { imports, statements };
}

/** `handlers.ts` of `model`, printed. */
export function emitHandlers(model: CatalogModel): string {
  return printModule(model.sourcePath, handlersModule(model));
}

/** `Envelope<CampaignCreated, 'campaign.created'>` */
export function envelopeType(event: ModelEvent): Doc {
  return ['Envelope', typeArguments([event.typeName, stringLiteral(event.type)])];
}

function streamsOf(service: ModelService): string {
  const noun = service.streams.length === 1 ? 'stream' : 'streams';
  return `${noun} ${codeList(service.streams)}`;
}

function handlersInterface(service: ModelService, events: readonly ModelEvent[]): Doc {
  const members = events.map((event) => [
    docComment(eventDoc(event)),
    `readonly ${event.methodName}: `,
    functionType([['event: ', envelopeType(event)], 'ctx: HandlerContext'], 'Promise<void>'),
    ';',
  ]);
  return interfaceDeclaration(
    [
      `Handlers of consumer group \`${service.name}\` on ${streamsOf(service)}: one per event it listens to. A missing handler, or one taking the wrong payload, is a compile error.`,
      'A handler that resolves acks its event; one that throws has it retried with backoff, then dead-lettered.',
    ],
    service.interfaceName,
    members,
  );
}

function subscribeFunction(service: ModelService, events: readonly ModelEvent[]): Doc {
  const entries = events.map((event) =>
    property(
      event.type,
      group([
        '(event, ctx) =>',
        group(
          indent([
            line,
            call(`handlers.${event.methodName}`, [['event as ', envelopeType(event)], 'ctx']),
          ]),
        ),
      ]),
    ),
  );
  return functionDeclaration({
    docs: [
      `Starts consuming as group \`${service.name}\` on ${streamsOf(service)}, each event handed to its handler in \`handlers\` (called as a method, so \`this\` is \`handlers\`).`,
    ],
    name: service.subscribeName,
    params: ['bus: EventBus', `handlers: ${service.interfaceName}`, 'options?: SubscribeOptions'],
    returnType: 'Subscription',
    body: [
      [
        'return ',
        call('bus.subscribe', [
          stringLiteral(service.name),
          objectLiteral(entries, { expand: true }),
          'options',
        ]),
        ';',
      ],
    ],
  });
}
