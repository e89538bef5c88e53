/**
 * `events.ts`: a TypeBox schema and its `Static` type per shared type and
 * per event payload, `EventMap`, `EventType` and `eventSchemas`.
 */
import {
  type Project,
  type StatementStructures,
  StructureKind,
  VariableDeclarationKind,
} from 'ts-morph';
import type { JsonSchema } from '../../runtime/catalog.js';
import type { CatalogModel, ModelType } from '../catalog/model.js';
import { eventDoc, sentence, tsDoc } from './describe.js';
import { objectCode, propertyKey, writeCode } from './expressions.js';
import {
  createEmitProject,
  type Declaration,
  type Module,
  moduleSource,
  printModule,
} from './module.js';
import { compareCodePoints } from './names.js';
import { refName, toTypeBox } from './typebox.js';

/** The file `emitEvents` produces. */
export const EVENTS_FILE = 'events.ts';

/** Builds the `events.ts` module of `model`. */
export function eventsModule(model: CatalogModel): Module {
  const declarations: Declaration[] = [];
  for (const type of sortByDependencies(model.types)) {
    const description = type.schema.description;
    const docs = typeof description === 'string' ? [sentence(description)] : [];
    const what = `the shared type \`${type.name}\``;
    declarations.push(
      schemaAndType(type.name, type.schema, what, [...docs, `Shared type \`${type.name}\`.`]),
    );
  }
  for (const event of model.events) {
    const what = `the \`${event.type}\` payload`;
    declarations.push(schemaAndType(event.typeName, event.schema, what, eventDoc(event)));
  }
  declarations.push(
    {
      kind: StructureKind.Interface,
      docs: tsDoc('The payload type of every event, by event type.'),
      isExported: true,
      name: 'EventMap',
      properties: model.events.map((event) => ({
        name: propertyKey(event.type),
        type: event.typeName,
      })),
    },
    {
      kind: StructureKind.TypeAlias,
      docs: tsDoc('Every event type of the catalogue.'),
      isExported: true,
      name: 'EventType',
      type: 'keyof EventMap',
    },
  );
  const schemas = objectCode(
    model.events.map((event) => [event.type, event.typeName] as const),
    'expanded',
  );
  declarations.push({
    kind: StructureKind.VariableStatement,
    docs: tsDoc('The TypeBox schema of every event payload, by event type.'),
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [
      {
        name: 'eventSchemas',
        initializer: (writer) => {
          writeCode(writer, schemas);
          writer.write(' as const');
        },
      },
    ],
  });
  return {
    imports: [
      { name: 'Static', from: 'schemabus', typeOnly: true },
      { name: 'Type', from: 'schemabus', typeOnly: false },
    ],
    declarations,
  };
}

/** `events.ts` of `model`, printed. */
export function emitEvents(model: CatalogModel, project: Project = createEmitProject()): string {
  return printModule(project, EVENTS_FILE, moduleSource(model), eventsModule(model));
}

/** The TypeBox constant (short doc) and its `Static` type (full doc) of one schema, together. */
function schemaAndType(
  name: string,
  schema: JsonSchema,
  what: string,
  docs: readonly string[],
): StatementStructures[] {
  const typeBox = toTypeBox(schema);
  return [
    {
      kind: StructureKind.VariableStatement,
      docs: tsDoc(`The TypeBox schema of ${what}.`),
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name, initializer: (writer) => writeCode(writer, typeBox) }],
    },
    {
      kind: StructureKind.TypeAlias,
      docs: tsDoc(...docs),
      isExported: true,
      name,
      type: `Static<typeof ${name}>`,
    },
  ];
}

/**
 * Shared types ordered so each comes after the types it references, ties
 * by name. Throws on a reference cycle (TypeBox constants cannot refer to
 * themselves; the catalogue loader rejects cycles).
 */
export function sortByDependencies(types: readonly ModelType[]): ModelType[] {
  const byName = new Map(types.map((type) => [type.name, type]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const sorted: ModelType[] = [];
  const visit = (type: ModelType, chain: readonly string[]): void => {
    if (done.has(type.name)) return;
    if (visiting.has(type.name)) {
      throw new Error(
        `schemabus cannot generate recursive types: ${[...chain, type.name].join(' -> ')}`,
      );
    }
    visiting.add(type.name);
    for (const ref of [...referencesOf(type.schema)].sort(compareCodePoints)) {
      const target = byName.get(ref);
      if (target !== undefined) visit(target, [...chain, type.name]);
    }
    visiting.delete(type.name);
    done.add(type.name);
    sorted.push(type);
  };
  for (const type of [...types].sort((a, b) => compareCodePoints(a.name, b.name))) visit(type, []);
  return sorted;
}

/** Names of the shared types `schema` references directly. */
export function referencesOf(schema: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) referencesOf(item, found);
  } else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') found.add(refName(value));
      else if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') {
        referencesOf(value, found);
      }
    }
  }
  return found;
}
