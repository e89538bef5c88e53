/**
 * Step 4: a checked catalogue -> the sorted, resolved `CatalogModel`.
 * Only called when every check passed; a missing part is a bug here.
 */
import type {
  Catalog,
  CatalogChannel,
  CatalogEvent,
  CatalogGroup,
  CatalogStream,
  JsonSchema,
} from '../../runtime/catalog.js';
import type { DocCatalog, DocGroup, DocStream } from './document.js';
import { fingerprintOf } from './fingerprint.js';
import type { CatalogModel, ModelChannel, ModelEvent, ModelService, ModelType } from './model.js';
import {
  channelFunctionName,
  channelParamsName,
  eventMethodName,
  eventTypeName,
  serviceInterfaceName,
  serviceSubscribeName,
} from './names.js';
import { rewriteRefs, transitiveRefs, withDefs } from './rewrite-schema.js';
import { mergeSettings } from './settings.js';

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`schemabus internal error: normalising a catalogue whose ${what} is missing`);
  }
  return value;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byName);
}

/** An object with the entries sorted by key. */
function sortedRecord<T>(entries: Iterable<readonly [string, T]>): { [key: string]: T } {
  return Object.fromEntries([...entries].sort(([a], [b]) => byName(a, b)));
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Builds the model of a catalogue that passed every check. `sourcePath` goes into headers. */
export function normalise(doc: DocCatalog, sourcePath: string): CatalogModel {
  const namespace = present(doc.namespace, 'namespace');
  const types = new Map(
    doc.types.map((t) => [t.name, present(t.schema, `type ${t.name}`)] as const),
  );
  const typeSchemas = new Map([...types].map(([name, s]) => [name, rewriteRefs(s.value)] as const));
  const refsOf = (name: string): string[] => types.get(name)?.refs.map((r) => r.target) ?? [];
  const schemaOf = (name: string): JsonSchema => present(typeSchemas.get(name), `type ${name}`);

  const events: ModelEvent[] = doc.events
    .map((e) => {
      const payload = present(e.payload, `payload of ${e.name}`);
      return {
        type: e.name,
        typeName: eventTypeName(e.name),
        methodName: eventMethodName(e.name),
        ...optional('description', e.description),
        ...optional('stream', e.stream),
        ...optional('channel', e.realtime),
        schema: rewriteRefs(payload.value),
        refs: transitiveRefs(
          payload.refs.map((r) => r.target),
          refsOf,
        ),
      };
    })
    .sort((a, b) => byName(a.type, b.type));

  const eventsOn = (pick: (e: ModelEvent) => string | undefined, name: string): string[] =>
    events.filter((e) => pick(e) === name).map((e) => e.type);

  const streams = sortedRecord(
    doc.streams.map((s) => [
      s.name,
      streamOf(
        doc,
        namespace,
        s,
        eventsOn((e) => e.stream, s.name),
      ),
    ]),
  );
  const modelChannels: ModelChannel[] = doc.channels
    .map((c) => ({
      name: c.name,
      functionName: channelFunctionName(c.name),
      paramsName: channelParamsName(c.name),
      ...optional('description', c.description),
      pattern: present(c.pattern, `pattern of ${c.name}`),
      params: present(c.params, `params of ${c.name}`),
      events: eventsOn((e) => e.channel, c.name),
    }))
    .sort((a, b) => byName(a.name, b.name));
  const channels = sortedRecord(
    modelChannels.map((c): [string, CatalogChannel] => [
      c.name,
      {
        name: c.name,
        pattern: c.pattern,
        params: c.params,
        prefix: `${namespace}:`,
        events: c.events,
      },
    ]),
  );
  const catalogEvents = sortedRecord(
    events.map((e): [string, CatalogEvent] => [
      e.type,
      {
        type: e.type,
        ...optional('description', e.description),
        ...optional('stream', e.stream),
        ...optional('channel', e.channel),
        schema: withDefs(e.schema, e.refs, schemaOf),
      },
    ]),
  );
  const body = {
    format: 1 as const,
    namespace,
    source: present(doc.source, 'source'),
    streams,
    channels,
    events: catalogEvents,
  };
  const catalog: Catalog = {
    format: body.format,
    namespace: body.namespace,
    source: body.source,
    fingerprint: fingerprintOf(body),
    streams,
    channels,
    events: catalogEvents,
  };
  const modelTypes: ModelType[] = [...typeSchemas]
    .map(([name, schema]) => ({ name, schema }))
    .sort((a, b) => byName(a.name, b.name));
  return {
    sourcePath: sourcePath.replaceAll('\\', '/'),
    catalog,
    types: modelTypes,
    events,
    services: servicesOf(Object.values(streams)),
    channels: modelChannels,
  };
}

function streamOf(
  doc: DocCatalog,
  namespace: string,
  stream: DocStream,
  events: string[],
): CatalogStream {
  const key = `{${namespace}:${stream.name}}`;
  return {
    name: stream.name,
    ...optional('description', stream.description),
    key,
    dlqKey: `${key}:dlq`,
    retention: present(stream.retention, `retention of ${stream.name}`),
    groups: sortedRecord(stream.groups.map((g) => [g.name, groupOf(doc, stream.name, g, events)])),
    events,
    ...optional(
      'partitions',
      stream.partitions && { count: stream.partitions.count, key: stream.partitions.key },
    ),
  };
}

function groupOf(
  doc: DocCatalog,
  stream: string,
  group: DocGroup,
  streamEvents: string[],
): CatalogGroup {
  const settings = mergeSettings(doc.defaults, group.settings);
  return {
    name: group.name,
    stream,
    events:
      group.events === undefined ? streamEvents : sortedUnique(group.events.map((e) => e.name)),
    retry: settings.retry,
    claimIdleMs: settings.claimIdleMs,
    dlq: settings.dlq,
    startFrom: settings.startFrom,
    ...(settings.circuitBreaker === undefined ? {} : { circuitBreaker: settings.circuitBreaker }),
  };
}

function servicesOf(streams: readonly CatalogStream[]): ModelService[] {
  const services = new Map<string, { streams: string[]; events: string[] }>();
  for (const stream of streams) {
    for (const group of Object.values(stream.groups)) {
      const service = services.get(group.name) ?? { streams: [], events: [] };
      service.streams.push(stream.name);
      service.events.push(...group.events);
      services.set(group.name, service);
    }
  }
  return [...services]
    .map(([name, s]) => ({
      name,
      interfaceName: serviceInterfaceName(name),
      subscribeName: serviceSubscribeName(name),
      streams: sortedUnique(s.streams),
      events: sortedUnique(s.events),
    }))
    .sort((a, b) => byName(a.name, b.name));
}
