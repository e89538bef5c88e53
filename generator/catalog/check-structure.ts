/**
 * Step 2: the shape of a format-1 catalogue (the meta-schema), hand-written
 * so every message names the entry and says what to write. Unknown keys are
 * errors at every level.
 */
import { parseChannelPattern } from './channel-pattern.js';
import { readPartitions } from './check-partitions.js';
import { checkPayload, checkTypeSchema } from './check-payload-schema.js';
import { readRetention } from './check-retention.js';
import { readSettings, SETTINGS_KEYS } from './check-settings.js';
import type {
  DocCatalog,
  DocChannel,
  DocEntry,
  DocEvent,
  DocGroup,
  DocSection,
  DocStream,
  DocType,
} from './document.js';
import { describe, isYamlMap, own, type Reader, type YamlMap } from './reader.js';
import type { DocPath } from './source-map.js';

/** The only catalogue format this version reads. */
export const CATALOG_FORMAT = 1;

const TOP_KEYS = [
  'channels',
  'defaults',
  'events',
  'namespace',
  'schemabus',
  'source',
  'streams',
  'types',
];
const STREAM_KEYS = ['description', 'groups', 'partitionKey', 'partitions', 'retention'];
const GROUP_KEYS = ['events', ...SETTINGS_KEYS];
const CHANNEL_KEYS = ['description', 'pattern'];
const EVENT_KEYS = ['description', 'payload', 'realtime', 'stream'];

/**
 * Reads the document into a `DocCatalog`, reporting every structural
 * problem; the parts that are wrong are left out of the result.
 */
export function checkStructure(reader: Reader, root: unknown): DocCatalog {
  if (!isYamlMap(root)) {
    reader.issues.atValue(
      [],
      root === null
        ? 'the catalogue is empty'
        : `the catalogue must be a mapping, got ${describe(root)}`,
      'start with `schemabus: 1`, then `namespace`, `source`, `streams`, `channels` and `events`',
    );
    const defaults = { path: ['defaults'] };
    return {
      brokenSections: new Set(),
      defaults,
      types: [],
      streams: [],
      channels: [],
      events: [],
    };
  }
  const suggested = reader.allowKeys([], root, TOP_KEYS, 'the catalogue');
  checkFormat(reader, root, suggested);
  const required = (key: string, message: string, hint: string): unknown => {
    const value = own(root, key);
    if (value === undefined && !suggested.has(key)) reader.issues.atKey([key], message, hint);
    return value;
  };
  const namespace = required(
    'namespace',
    'the catalogue has no `namespace`; every Redis key of the catalogue starts with it',
    'add `namespace: <name>` (lowercase letters, digits, hyphens)',
  );
  const source = required(
    'source',
    'the catalogue has no `source`, the default CloudEvents source of published events',
    'add `source: <service-name>`',
  );
  const events = required(
    'events',
    'the catalogue has no `events`',
    'add `events:` with at least one event type',
  );
  const defaultsValue = own(root, 'defaults');
  const defaults =
    defaultsValue === undefined ? undefined : reader.map(['defaults'], defaultsValue, '`defaults`');
  if (defaults) reader.allowKeys(['defaults'], defaults, SETTINGS_KEYS, '`defaults`');
  const brokenSections = new Set<DocSection>();
  for (const section of ['channels', 'events', 'streams', 'types'] as const) {
    const value = own(root, section);
    if (value !== undefined && value !== null && !isYamlMap(value)) brokenSections.add(section);
  }
  return {
    brokenSections,
    ...(namespace === undefined
      ? {}
      : { namespace: reader.string(['namespace'], namespace, '`namespace`') }),
    ...(source === undefined ? {} : { source: reader.string(['source'], source, '`source`') }),
    defaults: readSettings(reader, ['defaults'], defaults ?? {}),
    types: entries(reader, ['types'], own(root, 'types'), '`types`').map(([entry, value]) =>
      readType(reader, entry, value),
    ),
    streams: entries(reader, ['streams'], own(root, 'streams'), '`streams`').map(([entry, value]) =>
      readStream(reader, entry, value),
    ),
    channels: entries(reader, ['channels'], own(root, 'channels'), '`channels`').map(
      ([entry, value]) => readChannel(reader, entry, value),
    ),
    events: readEvents(reader, events),
  };
}

function checkFormat(reader: Reader, root: YamlMap, suggested: Set<string>): void {
  const format = own(root, 'schemabus');
  if (format === undefined) {
    if (!suggested.has('schemabus')) {
      reader.issues.atKey(
        ['schemabus'],
        'the catalogue does not say its format',
        `add \`schemabus: ${CATALOG_FORMAT}\` as its first line`,
      );
    }
  } else if (format !== CATALOG_FORMAT) {
    reader.issues.atValue(
      ['schemabus'],
      `unsupported catalogue format ${describe(format)}: this version of schemabus reads format ${CATALOG_FORMAT}`,
      `write \`schemabus: ${CATALOG_FORMAT}\`, or upgrade schemabus if the catalogue needs a newer format`,
    );
  }
}

/** The entries of a named map (`streams`, `groups`, ...): a missing or empty body reads as `{}`. */
function entries(
  reader: Reader,
  path: DocPath,
  value: unknown,
  what: string,
): [DocEntry, YamlMap | undefined][] {
  if (value === undefined || value === null) return [];
  const map = reader.map(path, value, what);
  if (!map) return [];
  return Object.entries(map).map(([name, body]) => {
    const entryPath = [...path, name];
    const bodyMap = body === null ? {} : reader.map(entryPath, body, `\`${name}\``);
    return [{ name, path: entryPath }, bodyMap];
  });
}

/** A string field of an entry, when present. */
function optionalString(
  reader: Reader,
  path: DocPath,
  body: YamlMap,
  key: string,
): string | undefined {
  const value = own(body, key);
  return value === undefined ? undefined : reader.string([...path, key], value, `\`${key}\``);
}

function withDescription(reader: Reader, path: DocPath, body: YamlMap): { description?: string } {
  const description = optionalString(reader, path, body, 'description');
  return description === undefined ? {} : { description };
}

function readType(reader: Reader, entry: DocEntry, body: YamlMap | undefined): DocType {
  if (!body) return entry;
  const schema = checkTypeSchema(reader, entry.path, body);
  return schema ? { ...entry, schema } : entry;
}

function readStream(reader: Reader, entry: DocEntry, body: YamlMap | undefined): DocStream {
  if (!body) return { ...entry, groups: [] };
  reader.allowKeys(entry.path, body, STREAM_KEYS, `stream \`${entry.name}\``);
  const retention = readRetention(reader, entry, own(body, 'retention'));
  const partitions = readPartitions(reader, entry, body);
  const groups = entries(reader, [...entry.path, 'groups'], own(body, 'groups'), '`groups`').map(
    ([group, groupBody]) => readGroup(reader, entry.name, group, groupBody),
  );
  return {
    ...entry,
    ...withDescription(reader, entry.path, body),
    ...(retention === undefined ? {} : { retention }),
    ...(partitions === undefined ? {} : { partitions }),
    groups,
  };
}

function readGroup(
  reader: Reader,
  stream: string,
  entry: DocEntry,
  body: YamlMap | undefined,
): DocGroup {
  const group = { ...entry, stream, settings: { path: entry.path } };
  if (!body) return group;
  reader.allowKeys(entry.path, body, GROUP_KEYS, `group \`${entry.name}\``);
  const settings = readSettings(reader, entry.path, body);
  const eventsValue = own(body, 'events');
  if (eventsValue === undefined) return { ...group, settings };
  const eventsPath = [...entry.path, 'events'];
  const list = reader.list(eventsPath, eventsValue, `\`events\` of group \`${entry.name}\``) ?? [];
  const events: DocEntry[] = [];
  list.forEach((item, i) => {
    const name = reader.string([...eventsPath, i], item, 'an event type');
    if (name !== undefined) events.push({ name, path: [...eventsPath, i] });
  });
  return { ...group, settings, events };
}

function readChannel(reader: Reader, entry: DocEntry, body: YamlMap | undefined): DocChannel {
  if (!body) return entry;
  reader.allowKeys(entry.path, body, CHANNEL_KEYS, `channel \`${entry.name}\``);
  const channel = { ...entry, ...withDescription(reader, entry.path, body) };
  if (own(body, 'pattern') === undefined) {
    reader.issues.atKey(
      [...entry.path, 'pattern'],
      `channel \`${entry.name}\` has no \`pattern\``,
      'add `pattern: "<prefix>:{field}:<suffix>"`, where `{field}` comes from the payload',
    );
    return channel;
  }
  const pattern = optionalString(reader, entry.path, body, 'pattern');
  if (pattern === undefined) return channel;
  const parsed = parseChannelPattern(pattern);
  if (!parsed.ok) {
    reader.issues.atValue([...entry.path, 'pattern'], parsed.message, parsed.hint);
    return { ...channel, pattern };
  }
  return { ...channel, pattern, params: parsed.params };
}

function readEvents(reader: Reader, value: unknown): DocEvent[] {
  if (value === undefined) return [];
  const list = entries(reader, ['events'], value, '`events`');
  if (list.length === 0 && (value === null || isYamlMap(value))) {
    reader.issues.atKey(
      ['events'],
      'the catalogue declares no event',
      'add at least one event type under `events:`',
    );
  }
  return list.map(([entry, body]) => readEvent(reader, entry, body));
}

function readEvent(reader: Reader, entry: DocEntry, body: YamlMap | undefined): DocEvent {
  if (!body) return entry;
  reader.allowKeys(entry.path, body, EVENT_KEYS, `event \`${entry.name}\``);
  const stream = optionalString(reader, entry.path, body, 'stream');
  const realtime = optionalString(reader, entry.path, body, 'realtime');
  const payloadValue = own(body, 'payload');
  let payload: DocEvent['payload'];
  if (payloadValue === undefined) {
    reader.issues.atKey(
      [...entry.path, 'payload'],
      `event \`${entry.name}\` has no \`payload\``,
      'add `payload:` with a JSON Schema of `type: object`',
    );
  } else {
    payload = checkPayload(reader, [...entry.path, 'payload'], payloadValue, entry.name);
  }
  return {
    ...entry,
    ...withDescription(reader, entry.path, body),
    ...(stream === undefined ? {} : { stream }),
    ...(realtime === undefined ? {} : { realtime }),
    ...(payload === undefined ? {} : { payload }),
  };
}
