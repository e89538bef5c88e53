/**
 * Breaking changes between two versions of a catalogue (`check --against`):
 * what makes running producers, consumers or Redis state incompatible.
 *
 * Breaking: removing (or renaming) an event, stream, group or channel;
 * moving an event to another stream or channel; changing a channel pattern
 * or the namespace; in a payload, removing a field, adding a required one,
 * changing a type, or narrowing what is accepted (fewer enum values,
 * tighter bounds, a new or changed pattern or format); partitioning a stream,
 * or changing its partition count or key (keys move to other partitions, so
 * per-key order breaks across the change and the old keys keep their entries).
 */
import type { CatalogModel } from '../catalog/index.js';

/** One breaking change, located by document path in the new catalogue (or the old one, for removals). */
export interface BreakingChange {
  readonly path: string;
  readonly message: string;
}

type Schema = { readonly [keyword: string]: unknown };

/** Every breaking change from `before` to `after`, in a stable order. */
export function findBreakingChanges(before: CatalogModel, after: CatalogModel): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const add = (path: string, message: string) => changes.push({ path, message });
  const old = before.catalog;
  const now = after.catalog;
  if (old.namespace !== now.namespace) {
    add(
      'namespace',
      `namespace changed from \`${old.namespace}\` to \`${now.namespace}\`: every Redis key changes`,
    );
  }
  for (const [name, stream] of Object.entries(old.streams)) {
    const next = now.streams[name];
    if (next === undefined) {
      add(
        `streams.${name}`,
        `stream \`${name}\` removed (or renamed): its entries and groups stay behind`,
      );
      continue;
    }
    comparePartitions(name, stream.partitions, next.partitions, add);
    for (const group of Object.keys(stream.groups)) {
      if (next.groups[group] === undefined) {
        add(
          `streams.${name}.groups.${group}`,
          `group \`${group}\` removed from stream \`${name}\` (or renamed): a renamed group starts over, and its pending entries are orphaned`,
        );
      }
    }
  }
  for (const [name, channel] of Object.entries(old.channels)) {
    const next = now.channels[name];
    if (next === undefined) add(`channels.${name}`, `channel \`${name}\` removed (or renamed)`);
    else if (next.pattern !== channel.pattern) {
      add(
        `channels.${name}.pattern`,
        `pattern changed from \`${channel.pattern}\` to \`${next.pattern}\`: subscribers of the old pattern hear nothing`,
      );
    }
  }
  for (const [type, event] of Object.entries(old.events)) {
    const path = `events[${JSON.stringify(type)}]`;
    const next = now.events[type];
    if (next === undefined) {
      add(
        path,
        `event \`${type}\` removed (or renamed): its producers and consumers no longer compile or match`,
      );
      continue;
    }
    if (event.stream !== undefined && next.stream !== event.stream) {
      add(
        `${path}.stream`,
        `moved from stream \`${event.stream}\` to ${describe(next.stream)}: its consumers stop receiving it`,
      );
    }
    if (event.channel !== undefined && next.channel !== event.channel) {
      add(
        `${path}.realtime`,
        `moved from channel \`${event.channel}\` to ${describe(next.channel)}: its subscribers stop receiving it`,
      );
    }
    compareSchemas(event.schema, next.schema, `${path}.payload`, event.schema, next.schema, add);
  }
  return changes;
}

type Partitioning = CatalogModel['catalog']['streams'][string]['partitions'];

function comparePartitions(
  name: string,
  before: Partitioning,
  after: Partitioning,
  add: (path: string, message: string) => void,
): void {
  const shown = (p: Partitioning) =>
    p === undefined ? 'one stream key' : `${p.count} partitions by \`${p.key}\``;
  if (before?.count === after?.count && before?.key === after?.key) return;
  add(
    `streams.${name}.${before?.key !== after?.key ? 'partitionKey' : 'partitions'}`,
    `stream \`${name}\` changed from ${shown(before)} to ${shown(after)}: events now go to other stream keys, so the order of one key is not kept across the change, and entries left on the old keys are read by nobody`,
  );
}

function describe(name: string | undefined): string {
  return name === undefined ? 'none' : `\`${name}\``;
}

type Add = (path: string, message: string) => void;

/** Compares two schemas at `path`; `oldRoot`/`newRoot` hold the `$defs` their `$ref`s point to. */
function compareSchemas(
  oldSchema: Schema,
  newSchema: Schema,
  path: string,
  oldRoot: Schema,
  newRoot: Schema,
  add: Add,
  depth = 0,
): void {
  const before = resolveRef(oldSchema, oldRoot);
  const after = resolveRef(newSchema, newRoot);
  if (depth > 32) return;
  if (['allOf', 'anyOf', 'oneOf'].some((k) => k in before || k in after)) {
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      add(
        path,
        'a composition (`allOf`/`anyOf`/`oneOf`) changed; check it accepts every value it accepted before',
      );
    }
    return;
  }
  if (before.type !== after.type && !(before.type === 'integer' && after.type === 'number')) {
    if (after.type !== undefined)
      add(path, `type changed from ${show(before.type)} to ${show(after.type)}`);
  }
  compareValues(before, after, path, add);
  compareBounds(before, after, path, add);
  if (isSchema(before.items) && isSchema(after.items)) {
    compareSchemas(before.items, after.items, `${path}.items`, oldRoot, newRoot, add, depth + 1);
  }
  const oldProps = isSchema(before.properties) ? before.properties : {};
  const newProps = isSchema(after.properties) ? after.properties : {};
  const oldRequired = new Set(Array.isArray(before.required) ? before.required : []);
  for (const [name, prop] of Object.entries(oldProps)) {
    const next = newProps[name];
    if (next === undefined) {
      add(
        `${path}.properties.${name}`,
        `field \`${name}\` removed: consumers reading it break, producers still sending it are rejected`,
      );
    } else if (isSchema(prop) && isSchema(next)) {
      compareSchemas(prop, next, `${path}.properties.${name}`, oldRoot, newRoot, add, depth + 1);
    }
  }
  for (const name of Array.isArray(after.required) ? after.required : []) {
    if (!oldRequired.has(name)) {
      add(
        `${path}.required`,
        `field \`${String(name)}\` is now required: producers that omit it are rejected`,
      );
    }
  }
  if (isSchema(before.additionalProperties) && isSchema(after.additionalProperties)) {
    compareSchemas(
      before.additionalProperties,
      after.additionalProperties,
      `${path}.additionalProperties`,
      oldRoot,
      newRoot,
      add,
      depth + 1,
    );
  }
}

function compareValues(before: Schema, after: Schema, path: string, add: Add): void {
  const oldValues = allowedValues(before);
  const newValues = allowedValues(after);
  if (newValues === undefined) return;
  if (oldValues === undefined) {
    add(path, `now restricted to ${newValues.map(show).join(', ')}`);
    return;
  }
  const removed = oldValues.filter(
    (value) => !newValues.some((v) => JSON.stringify(v) === JSON.stringify(value)),
  );
  if (removed.length > 0) add(path, `no longer accepts ${removed.map(show).join(', ')}`);
}

const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'];

function compareBounds(before: Schema, after: Schema, path: string, add: Add): void {
  for (const keyword of LOWER_BOUNDS) {
    const [was, is] = [before[keyword], after[keyword]];
    if (typeof is === 'number' && (typeof was !== 'number' || is > was)) {
      add(path, `\`${keyword}\` raised from ${show(was)} to ${is}`);
    }
  }
  for (const keyword of UPPER_BOUNDS) {
    const [was, is] = [before[keyword], after[keyword]];
    if (typeof is === 'number' && (typeof was !== 'number' || is < was)) {
      add(path, `\`${keyword}\` lowered from ${show(was)} to ${is}`);
    }
  }
  for (const keyword of ['pattern', 'format', 'multipleOf']) {
    if (after[keyword] !== undefined && after[keyword] !== before[keyword]) {
      add(path, `\`${keyword}\` changed from ${show(before[keyword])} to ${show(after[keyword])}`);
    }
  }
  if (after.uniqueItems === true && before.uniqueItems !== true)
    add(path, 'items must now be unique');
}

function allowedValues(schema: Schema): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const];
  return undefined;
}

function resolveRef(schema: Schema, root: Schema): Schema {
  let current = schema;
  for (let i = 0; i < 16 && typeof current.$ref === 'string'; i++) {
    const name = current.$ref.replace(/^#\/\$defs\//, '');
    const defs = isSchema(root.$defs) ? root.$defs : {};
    const target = defs[name];
    if (!isSchema(target)) return current;
    current = target;
  }
  return current;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'none' : `\`${JSON.stringify(value)}\``;
}
