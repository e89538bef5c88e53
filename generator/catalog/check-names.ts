/**
 * Step 3a: naming rules of catalogue names, and collisions of the
 * TypeScript names derived from them.
 */
import type { DocCatalog, DocEntry } from './document.js';
import {
  channelMessageName,
  channelParamsName,
  EVENT_NAME,
  eventTypeName,
  KEBAB_NAME,
  RESERVED_TYPE_NAMES,
  serviceInterfaceName,
  TYPE_NAME,
} from './names.js';
import type { Reader } from './reader.js';

const KEY_BREAKERS = /[{}*?[\]:]/;

/** Why a name with Redis-significant characters is refused, appended to the message. */
function redisReason(name: string): string {
  return KEY_BREAKERS.test(name)
    ? '; `{ } * ? [ ] :` would change Redis hash slots, globs or key structure'
    : '';
}

/** A kebab-case rewrite of an invalid name, for the hint, when one exists. */
function kebabOf(name: string): string | undefined {
  const kebab = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
  return KEBAB_NAME.test(kebab) ? kebab : undefined;
}

/** Checks every name of the catalogue against its rule. */
export function checkNames(reader: Reader, doc: DocCatalog): void {
  if (doc.namespace !== undefined && !KEBAB_NAME.test(doc.namespace)) {
    checkKebab(reader, { name: doc.namespace, path: ['namespace'] }, 'namespace', true);
  }
  for (const stream of doc.streams) {
    checkKebab(reader, stream, 'stream name', false);
    for (const group of stream.groups) checkKebab(reader, group, 'group name', false);
  }
  for (const channel of doc.channels) checkKebab(reader, channel, 'channel name', false);
  for (const type of doc.types) {
    if (TYPE_NAME.test(type.name)) continue;
    const pascal = eventTypeName(kebabOf(type.name) ?? '');
    reader.issues.atKey(
      type.path,
      `type name \`${type.name}\` must be PascalCase: a capital letter, then letters and digits`,
      pascal === '' ? undefined : `write \`${pascal}\``,
    );
  }
  for (const event of doc.events) {
    if (EVENT_NAME.test(event.name)) continue;
    reader.issues.atKey(
      event.path,
      `event type \`${event.name}\` must be two or more dotted lowercase segments (letters, digits, hyphens)${redisReason(event.name)}`,
      'name it `<entity>.<what-happened>`, like `campaign.status-changed`',
    );
  }
}

function checkKebab(reader: Reader, entry: DocEntry, kind: string, atValue: boolean): void {
  if (KEBAB_NAME.test(entry.name)) return;
  const fixed = kebabOf(entry.name);
  const report = atValue ? reader.issues.atValue : reader.issues.atKey;
  report.call(
    reader.issues,
    entry.path,
    `${kind} \`${entry.name}\` must be lowercase letters, digits and hyphens, starting with a letter${redisReason(entry.name)}`,
    fixed === undefined ? undefined : `write \`${fixed}\``,
  );
}

interface Owner {
  readonly what: string;
  readonly entry: DocEntry;
}

/**
 * Checks that the exported TypeScript names do not collide: event types,
 * shared types, service handler interfaces and channel params types share
 * one namespace (the generated `index.ts`), with the reserved names the
 * generated code uses (`EventMap`, `Envelope`, ...). Function and method
 * names derive from the same stems with fixed prefixes, so they collide
 * exactly when these do.
 */
export function checkNameCollisions(reader: Reader, doc: DocCatalog): void {
  const owners = new Map<string, Owner>();
  const claim = (tsName: string, owner: Owner): void => {
    if (RESERVED_TYPE_NAMES.includes(tsName)) {
      reader.issues.atKey(
        owner.entry.path,
        `${owner.what} becomes the TypeScript name \`${tsName}\`, which the generated code already uses`,
        'rename it',
      );
      return;
    }
    const first = owners.get(tsName);
    if (first === undefined) {
      owners.set(tsName, owner);
      return;
    }
    reader.issues.atKey(
      owner.entry.path,
      `${owner.what} and ${first.what} both become the TypeScript name \`${tsName}\``,
      'rename one of them',
    );
  };
  for (const type of doc.types) claim(type.name, { what: `type \`${type.name}\``, entry: type });
  const services = new Set<string>();
  for (const group of doc.streams.flatMap((s) => s.groups)) {
    if (services.has(group.name)) continue; // one service across streams
    services.add(group.name);
    claim(serviceInterfaceName(group.name), { what: `group \`${group.name}\``, entry: group });
  }
  for (const channel of doc.channels) {
    const what = { what: `channel \`${channel.name}\``, entry: channel };
    claim(channelParamsName(channel.name), what);
    claim(channelMessageName(channel.name), what);
  }
  for (const event of doc.events) {
    claim(eventTypeName(event.name), { what: `event \`${event.name}\``, entry: event });
  }
}
