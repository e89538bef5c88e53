/**
 * Step 3b: every reference resolves, and nothing is declared for nothing:
 * event -> stream and channel, group subset -> events of its stream,
 * `$ref` -> types (without cycles), channel placeholders -> payload fields.
 */

import { closestName } from '../../schema/closest-name.js';
import { checkChannelParams } from './check-channel-params.js';
import type { DocCatalog, DocEvent, DocGroup, DocStream, DocType } from './document.js';
import type { IssueCollector } from './issues.js';
import type { Reader } from './reader.js';
import { suggest } from './suggest.js';

/**
 * Checks the references of `doc`; stream-level advice goes to `warnings`.
 * References into a section that is not even a mapping are not checked:
 * that section's own issue says it all.
 */
export function checkReferences(reader: Reader, doc: DocCatalog, warnings: IssueCollector): void {
  const broken = doc.brokenSections;
  if (!broken.has('types')) checkTypeRefs(reader, doc);
  checkTypeCycles(reader, doc.types);
  const streams = broken.has('streams') ? undefined : new Set(doc.streams.map((s) => s.name));
  const channels = broken.has('channels') ? undefined : new Set(doc.channels.map((c) => c.name));
  for (const event of doc.events) checkEventTargets(reader, event, streams, channels);
  if (broken.has('events')) return;
  for (const stream of doc.streams) {
    checkStreamUse(reader, doc, stream, warnings);
    for (const group of stream.groups) checkSubset(reader, doc, stream, group);
  }
  // A channel that a misspelt `realtime` was meant for is explained by that typo's hint.
  const meant = typoTargets(
    doc.events.map((e) => e.realtime),
    channels,
  );
  for (const channel of doc.channels) {
    const published = doc.events.filter((e) => e.realtime === channel.name);
    if (published.length === 0 && !meant.has(channel.name)) {
      reader.issues.atKey(
        channel.path,
        `no event is published on channel \`${channel.name}\``,
        `add \`realtime: ${channel.name}\` to an event, or remove the channel`,
      );
    }
    for (const event of published) checkChannelParams(reader, doc.types, channel, event);
  }
}

/** A stream no event is published on is an error; one without groups is worth a warning. */
function checkStreamUse(
  reader: Reader,
  doc: DocCatalog,
  stream: DocStream,
  warnings: IssueCollector,
): void {
  const published = doc.events.some((e) => e.stream === stream.name);
  if (published && stream.groups.length === 0) {
    warnings.atKey(
      stream.path,
      `stream \`${stream.name}\` has no groups: its events are stored but nobody consumes them`,
      'add a group under `groups:` if a service should handle them',
    );
  }
  // A stream that a misspelt `stream` was meant for is explained by that typo's hint.
  const meant = typoTargets(
    doc.events.map((e) => e.stream),
    new Set(doc.streams.map((s) => s.name)),
  );
  if (published || meant.has(stream.name)) return;
  const groups = stream.groups.map((g) => `\`${g.name}\``).join(', ');
  reader.issues.atKey(
    stream.path,
    groups === ''
      ? `no event is published on stream \`${stream.name}\``
      : `no event is published on stream \`${stream.name}\`, so its groups ${groups} would never receive anything`,
    `add \`stream: ${stream.name}\` to an event, or remove the stream`,
  );
}

/** The declared names that unknown references are close to (their did-you-mean). */
function typoTargets(
  references: readonly (string | undefined)[],
  declared: ReadonlySet<string> | undefined,
): Set<string> {
  const meant = new Set<string>();
  if (declared === undefined) return meant;
  for (const name of references) {
    if (name === undefined || declared.has(name)) continue;
    const near = closestName(name, declared);
    if (near !== undefined) meant.add(near);
  }
  return meant;
}

function checkTypeRefs(reader: Reader, doc: DocCatalog): void {
  const names = doc.types.map((t) => t.name);
  const schemas = [...doc.types.map((t) => t.schema), ...doc.events.map((e) => e.payload)];
  for (const schema of schemas) {
    for (const ref of schema?.refs ?? []) {
      if (names.includes(ref.target)) continue;
      reader.issues.atValue(
        ref.path,
        `\`$ref\` points to type \`${ref.target}\`, which \`types\` does not declare`,
        suggest(ref.target, names, 'declared types', `declare \`${ref.target}\` under \`types:\``),
      );
    }
  }
}

/** Reports each cycle of type references once, at the `$ref` that closes it. */
function checkTypeCycles(reader: Reader, types: readonly DocType[]): void {
  const byName = new Map(types.map((t) => [t.name, t]));
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    stack.push(name);
    for (const ref of byName.get(name)?.schema?.refs ?? []) {
      if (done.has(ref.target) || !byName.has(ref.target)) continue;
      const start = stack.indexOf(ref.target);
      if (start === -1) {
        visit(ref.target);
        continue;
      }
      const cycle = [...stack.slice(start), ref.target].map((n) => `\`${n}\``).join(' -> ');
      reader.issues.atValue(
        ref.path,
        start === stack.length - 1
          ? `type \`${name}\` refers to itself; payload types must be finite`
          : `types ${cycle} refer to each other in a cycle; payload types must be finite`,
        'break the cycle: replace one `$ref` by the fields it needs',
      );
    }
    stack.pop();
    done.add(name);
  };
  for (const name of [...byName.keys()].sort()) if (!done.has(name)) visit(name);
}

function checkEventTargets(
  reader: Reader,
  event: DocEvent,
  streams: ReadonlySet<string> | undefined,
  channels: ReadonlySet<string> | undefined,
): void {
  if (event.stream === undefined && event.realtime === undefined) {
    reader.issues.atKey(
      event.path,
      `event \`${event.name}\` has neither \`stream\` nor \`realtime\`, so it would go nowhere`,
      'add `stream: <stream>` to store it, `realtime: <channel>` to broadcast it, or both',
    );
  }
  if (streams && event.stream !== undefined && !streams.has(event.stream)) {
    reader.issues.atValue(
      [...event.path, 'stream'],
      `event \`${event.name}\` names stream \`${event.stream}\`, which \`streams\` does not declare`,
      suggest(
        event.stream,
        streams,
        'declared streams',
        `declare \`${event.stream}\` under \`streams:\``,
      ),
    );
  }
  if (channels && event.realtime !== undefined && !channels.has(event.realtime)) {
    reader.issues.atValue(
      [...event.path, 'realtime'],
      `event \`${event.name}\` names channel \`${event.realtime}\`, which \`channels\` does not declare`,
      suggest(
        event.realtime,
        channels,
        'declared channels',
        `declare \`${event.realtime}\` under \`channels:\``,
      ),
    );
  }
}

function checkSubset(reader: Reader, doc: DocCatalog, stream: DocStream, group: DocGroup): void {
  if (group.events === undefined) return;
  const where = `group \`${group.name}\` of stream \`${stream.name}\``;
  if (group.events.length === 0) {
    reader.issues.atKey(
      [...group.path, 'events'],
      `${where} has an empty \`events\` list, so it would never receive anything`,
      'remove `events` to receive every event of the stream, or list at least one',
    );
    return;
  }
  const ofStream = doc.events.filter((e) => e.stream === stream.name).map((e) => e.name);
  const seen = new Set<string>();
  for (const entry of group.events) {
    const event = doc.events.find((e) => e.name === entry.name);
    if (seen.has(entry.name)) {
      reader.issues.atValue(
        entry.path,
        `${where} lists event \`${entry.name}\` twice`,
        'remove the duplicate',
      );
    } else if (event === undefined) {
      reader.issues.atValue(
        entry.path,
        `${where} lists event \`${entry.name}\`, which \`events\` does not declare`,
        suggest(entry.name, ofStream, `events of stream \`${stream.name}\``),
      );
    } else if (event.stream !== stream.name && !namesUnknownStream(doc, event.stream)) {
      // An event naming a stream that does not exist has its own issue; this one would be noise.
      const actual =
        event.stream === undefined
          ? 'is realtime only'
          : `is published on stream \`${event.stream}\``;
      reader.issues.atValue(
        entry.path,
        `event \`${entry.name}\` ${actual}, not on \`${stream.name}\`, so ${where} would never receive it`,
        event.stream === undefined
          ? `add \`stream: ${stream.name}\` to the event, or remove it from the list`
          : `list it under a group of stream \`${event.stream}\`, or remove it from the list`,
      );
    }
    seen.add(entry.name);
  }
}

/** Whether `stream` is set but names no declared stream (a typo reported at the event). */
function namesUnknownStream(doc: DocCatalog, stream: string | undefined): boolean {
  return stream !== undefined && !doc.streams.some((s) => s.name === stream);
}
