/**
 * Partitioned streams: `partitions: N` and `partitionKey: <field>` on a
 * stream. N is an integer from 2 to 1024; the key is a required string,
 * number or integer property of the payload of every event stored on the
 * stream, since publish routes each event by its value.
 */
import { resolveRefs } from './check-channel-params.js';
import type { DocCatalog, DocPartitioning, DocStream } from './document.js';
import { describe, isYamlMap, own, type Reader, type YamlMap } from './reader.js';
import type { DocPath } from './source-map.js';

/** Fewest partitions of a partitioned stream (1 is an ordinary stream). */
export const MIN_PARTITIONS = 2;
/** Most partitions of a stream: each is a stream key every group reads. */
export const MAX_PARTITIONS = 1024;
const KEY_TYPES = ['integer', 'number', 'string'];

/**
 * Reads `partitions` and `partitionKey` of a stream body: both or neither.
 * Returns the partitioning when both are valid.
 */
export function readPartitions(
  reader: Reader,
  stream: { readonly name: string; readonly path: DocPath },
  body: YamlMap,
): DocPartitioning | undefined {
  const countValue = own(body, 'partitions');
  const keyValue = own(body, 'partitionKey');
  if (countValue === undefined && keyValue === undefined) return undefined;
  if (countValue === undefined) {
    reader.issues.atKey(
      [...stream.path, 'partitionKey'],
      `stream \`${stream.name}\` sets \`partitionKey\` without \`partitions\``,
      `add \`partitions: <${MIN_PARTITIONS}..${MAX_PARTITIONS}>\`, or remove \`partitionKey\``,
    );
  }
  if (keyValue === undefined) {
    reader.issues.atKey(
      [...stream.path, 'partitions'],
      `stream \`${stream.name}\` sets \`partitions\` without \`partitionKey\`; publish routes each event by the value of that payload field`,
      'add `partitionKey: <field>`, a required string or number field of every event of the stream (a customer or account id)',
    );
  }
  const count = countValue === undefined ? undefined : readCount(reader, stream, countValue);
  const key =
    keyValue === undefined
      ? undefined
      : reader.string(
          [...stream.path, 'partitionKey'],
          keyValue,
          `\`partitionKey\` of stream \`${stream.name}\``,
        );
  if (count === undefined || key === undefined) return undefined;
  return { count, key, path: stream.path };
}

function readCount(
  reader: Reader,
  stream: DocStream | { name: string; path: DocPath },
  value: unknown,
) {
  const ok =
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= MIN_PARTITIONS &&
    value <= MAX_PARTITIONS;
  if (ok) return value;
  reader.issues.atValue(
    [...stream.path, 'partitions'],
    `\`partitions\` of stream \`${stream.name}\` must be an integer from ${MIN_PARTITIONS} to ${MAX_PARTITIONS}, got ${describe(value)}`,
    value === 1 || value === 0
      ? 'remove `partitions` and `partitionKey` for an ordinary stream'
      : `write an integer from ${MIN_PARTITIONS} to ${MAX_PARTITIONS}; more partitions than consumers is fine`,
  );
  return undefined;
}

/** Checks that the partition key of every partitioned stream is a required scalar field of each of its events. */
export function checkPartitionKeys(reader: Reader, doc: DocCatalog): void {
  for (const stream of doc.streams) {
    const partitions = stream.partitions;
    if (partitions === undefined) continue;
    for (const event of doc.events) {
      if (event.stream !== stream.name || event.payload === undefined) continue;
      const field = partitions.key;
      const lead = `stream \`${stream.name}\` routes events by \`${field}\` (its \`partitionKey\`)`;
      const payload = resolveRefs(event.payload.value, doc.types);
      const payloadMap = isYamlMap(payload) ? payload : {};
      const propertiesValue = own(payloadMap, 'properties');
      const properties = isYamlMap(propertiesValue) ? propertiesValue : {};
      const requiredValue = own(payloadMap, 'required');
      const required = Array.isArray(requiredValue) ? requiredValue : [];
      const at = [...event.path, 'payload'];
      if (!Object.hasOwn(properties, field)) {
        reader.issues.atKey(
          at,
          `${lead}, but event \`${event.name}\` has no property \`${field}\``,
          `add \`${field}\` (a string, number or integer) to the payload's \`properties\` and \`required\`, or store the event on another stream`,
        );
        continue;
      }
      if (!required.includes(field)) {
        reader.issues.atKey(
          at,
          `${lead}, but property \`${field}\` of event \`${event.name}\` is optional`,
          `add \`${field}\` to the payload's \`required\``,
        );
      }
      const schema = resolveRefs(properties[field], doc.types);
      const type = isYamlMap(schema) ? own(schema, 'type') : undefined;
      if (typeof type !== 'string' || !KEY_TYPES.includes(type)) {
        const actual = typeof type === 'string' ? `of type \`${type}\`` : 'not of a single type';
        reader.issues.atKey(
          [...at, 'properties', field],
          `${lead}, but property \`${field}\` of event \`${event.name}\` is ${actual}; a partition key is a string, number or integer`,
          `make \`${field}\` a string, number or integer, or choose another \`partitionKey\``,
        );
      }
    }
  }
}
