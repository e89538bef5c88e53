/**
 * `realtime.ts`: per channel its params type, the union of the envelopes it
 * carries, and `onXxx(bus, params, handler)`.
 */
import { type Project, type StatementStructures, StructureKind } from 'ts-morph';
import type { JsonSchema } from '../../runtime/catalog.js';
import type { CatalogModel, ModelChannel, ModelEvent } from '../catalog/model.js';
import { codeList, sentence, tsDoc } from './describe.js';
import { envelopeType } from './emit-handlers.js';
import { propertyKey, stringLiteral } from './expressions.js';
import {
  createEmitProject,
  type Declaration,
  type ImportSpec,
  type Module,
  moduleSource,
  printModule,
} from './module.js';
import { channelMessageName, compareCodePoints } from './names.js';
import { refName } from './typebox.js';

/** The file `emitRealtime` produces. */
export const REALTIME_FILE = 'realtime.ts';

/** The runtime types `realtime.ts` uses, when it declares any channel. */
const RUNTIME_TYPES = ['Envelope', 'EventBus', 'RealtimeHandler', 'Unsubscribe'];

/** Builds the `realtime.ts` module of `model`. */
export function realtimeModule(model: CatalogModel): Module {
  const events = new Map(model.events.map((event) => [event.type, event]));
  const types = new Map(model.types.map((type) => [type.name, type.schema]));
  const imports: ImportSpec[] = [];
  const declarations: Declaration[] = [];
  for (const channel of model.channels) {
    const carried = channel.events.map((type) => {
      const event = events.get(type);
      if (event === undefined)
        throw new Error(`schemabus: channel ${channel.name} carries unknown event ${type}`);
      imports.push({ name: event.typeName, from: './events.js', typeOnly: true });
      return event;
    });
    declarations.push(...channelDeclarations(channel, carried, types));
  }
  if (declarations.length > 0) {
    for (const name of RUNTIME_TYPES) imports.push({ name, from: 'schemabus', typeOnly: true });
  } else {
    declarations.push('export {};');
  }
  return { imports, declarations };
}

/** `realtime.ts` of `model`, printed. */
export function emitRealtime(model: CatalogModel, project: Project = createEmitProject()): string {
  return printModule(project, REALTIME_FILE, moduleSource(model), realtimeModule(model));
}

/** A channel's params type, its message union and its `onXxx` function. */
function channelDeclarations(
  channel: ModelChannel,
  events: readonly ModelEvent[],
  types: ReadonlyMap<string, JsonSchema>,
): StatementStructures[] {
  const where = `channel \`${channel.name}\` (\`${channel.pattern}\`)`;
  const message = channelMessageName(channel.name);
  const params = channel.params.map(
    (param) => `readonly ${propertyKey(param)}?: ${paramType(param, events, types)} | undefined`,
  );
  const paramsType: StatementStructures =
    params.length === 0
      ? {
          kind: StructureKind.TypeAlias,
          docs: tsDoc(`The ${where} has no params: pass \`{}\`.`),
          isExported: true,
          name: channel.paramsName,
          type: 'Record<string, never>',
        }
      : {
          kind: StructureKind.TypeAlias,
          docs: tsDoc(
            `Params of ${where}: each one given narrows the subscription to that value, each one left out matches any value.`,
          ),
          isExported: true,
          name: channel.paramsName,
          type: `{ ${params.join('; ')} }`,
        };
  const members = events.map(envelopeType);
  const docs = channel.description === undefined ? [] : [sentence(channel.description)];
  return [
    paramsType,
    {
      kind: StructureKind.TypeAlias,
      docs: tsDoc(`What arrives on ${where}: the envelope of one of its events.`),
      isExported: true,
      name: message,
      type:
        members.length === 1
          ? members.join('')
          : (writer) => {
              for (const member of members) writer.newLine().write(`| ${member}`);
            },
    },
    {
      kind: StructureKind.Function,
      docs: tsDoc(
        ...docs,
        `Receives the events of realtime ${where}: ${codeList(events.map((e) => e.type))}. At most once, only while subscribed. Resolves once subscribed, with the function that unsubscribes.`,
      ),
      isExported: true,
      name: channel.functionName,
      parameters: [
        { name: 'bus', type: 'EventBus' },
        { name: 'params', type: channel.paramsName },
        { name: 'handler', type: `(event: ${message}, channel: string) => void | Promise<void>` },
      ],
      returnType: 'Promise<Unsubscribe>',
      statements: [
        `return bus.onRealtime(${stringLiteral(channel.name)}, params, handler as RealtimeHandler);`,
      ],
    },
  ];
}

/**
 * The TypeScript type of a channel param: the type of the payload field of
 * that name in the channel's events (`string`, `number`, or both).
 */
export function paramType(
  param: string,
  events: readonly ModelEvent[],
  types: ReadonlyMap<string, JsonSchema>,
): string {
  const found = new Set<string>();
  for (const event of events) {
    const properties = event.schema.properties as
      | { readonly [name: string]: JsonSchema }
      | undefined;
    const field = properties?.[param];
    if (field !== undefined) found.add(scalarType(field, types));
  }
  const sorted = [...found].sort(compareCodePoints);
  return sorted.length === 1 ? sorted[0]! : 'number | string';
}

function scalarType(schema: JsonSchema, types: ReadonlyMap<string, JsonSchema>, depth = 0): string {
  if (typeof schema.$ref === 'string' && depth < 16) {
    const target = types.get(refName(schema.$ref));
    return target === undefined ? 'number | string' : scalarType(target, types, depth + 1);
  }
  const values = Array.isArray(schema.enum) ? schema.enum : 'const' in schema ? [schema.const] : [];
  if (values.length > 0 && values.every((value) => typeof value === 'string')) return 'string';
  if (values.length > 0 && values.every((value) => typeof value === 'number')) return 'number';
  if (schema.type === 'string') return 'string';
  if (schema.type === 'integer' || schema.type === 'number') return 'number';
  return 'number | string';
}
