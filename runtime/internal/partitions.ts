/**
 * Partitioned streams: which stream key an event goes to, and the keys of
 * every partition. Both buses and every tool (DLQ, inspect, tail, bootstrap)
 * derive partition keys here and nowhere else.
 *
 * Stored format (stable forever, like the entry format): an event of a
 * stream with `partitions: {count, key}` is appended to partition
 * `fnv1a32(utf8(String(payload[key]))) mod count`, whose stream key is
 * `{namespace:stream:p<i>}` and DLQ key `{namespace:stream:p<i>}:dlq`. Each
 * partition has its own hash tag, so a Cluster spreads them over its slots;
 * stream names cannot contain `:`, so these keys never collide with another
 * stream's. Changing the function, `count` or `key` moves keys to other
 * partitions, which is why the catalogue checker calls it a breaking change.
 */
import { partitionDlqKey, partitionStreamKey } from '../../schema/partition-keys.js';
import type { CatalogStream } from '../catalog.js';
import { ValidationError } from '../errors.js';
import { decodeEntry } from './entry-codec.js';

/** One stream key of a stream: the only one of an unpartitioned stream, or partition `index`. */
export interface PartitionKeys {
  /** 0 for an unpartitioned stream. */
  readonly index: number;
  /** The stream key. */
  readonly key: string;
  /** Its dead-letter stream key (same hash tag). */
  readonly dlqKey: string;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const utf8 = new TextEncoder();

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash;
}

/**
 * The partition (0..count-1) of routing value `value`: FNV-1a 32-bit over the
 * UTF-8 bytes of `String(value)`, mod `count`. Part of the stored format:
 * never changes. `7` and `'7'` route alike.
 */
export function partitionOf(value: string | number, count: number): number {
  return fnv1a32(String(value)) % count;
}

const cache = new WeakMap<CatalogStream, readonly PartitionKeys[]>();

/**
 * Every stream key of `stream`, in partition order: one element
 * `{index: 0, key: stream.key, dlqKey: stream.dlqKey}` for an unpartitioned
 * stream; for a partitioned stream `orders` of namespace `shop`, partition i
 * is `{shop:orders:p<i>}` with DLQ `{shop:orders:p<i>}:dlq`.
 */
export function partitionKeys(stream: CatalogStream): readonly PartitionKeys[] {
  const known = cache.get(stream);
  if (known !== undefined) return known;
  const keys: PartitionKeys[] = [];
  if (stream.partitions === undefined) {
    keys.push({ index: 0, key: stream.key, dlqKey: stream.dlqKey });
  } else {
    for (let index = 0; index < stream.partitions.count; index++) {
      const key = partitionStreamKey(stream.key, index);
      keys.push({ index, key, dlqKey: partitionDlqKey(key) });
    }
  }
  const frozen = Object.freeze(keys);
  cache.set(stream, frozen);
  return frozen;
}

/**
 * The routing value of payload `data` on partitioned `stream`: the value of
 * its partition key field. Throws a {@link ValidationError} (nothing is
 * published) when the field is not a string or a finite number, which only
 * happens when validation is off or the schema was bypassed.
 */
export function partitionKeyOf(
  stream: CatalogStream,
  data: unknown,
  type = stream.name,
): string | number {
  const field = stream.partitions?.key;
  if (field === undefined) return '';
  const value =
    typeof data === 'object' && data !== null
      ? (data as Record<string, unknown>)[field]
      : undefined;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))
    return value;
  throw new ValidationError(type, [
    {
      path: `/${field}`,
      message: `must be a string or a number: it is the partition key of stream ${stream.name}`,
    },
  ]);
}

/** The stream key (and DLQ key) that payload `data` of `stream` is appended to. */
export function partitionFor(stream: CatalogStream, data: unknown, type?: string): PartitionKeys {
  const keys = partitionKeys(stream);
  if (stream.partitions === undefined) return keys[0] as PartitionKeys;
  return keys[partitionOf(partitionKeyOf(stream, data, type), keys.length)] as PartitionKeys;
}

/**
 * The partition stored entry `fields` belongs to (appendRaw, tools): routed
 * by its decoded payload; partition 0 when it does not decode or lacks the
 * key (such an entry goes to the DLQ on delivery anyway).
 */
export function partitionForFields(
  stream: CatalogStream,
  fields: readonly string[],
): PartitionKeys {
  const keys = partitionKeys(stream);
  if (stream.partitions === undefined) return keys[0] as PartitionKeys;
  const decoded = decodeEntry(fields);
  if (decoded.ok) {
    try {
      return partitionFor(stream, decoded.envelope.data);
    } catch {
      // No usable key: partition 0, as documented.
    }
  }
  return keys[0] as PartitionKeys;
}

/** The partition a stream key belongs to, or undefined when `key` is none of `stream`'s. */
export function partitionByKey(stream: CatalogStream, key: string): PartitionKeys | undefined {
  return partitionKeys(stream).find((p) => p.key === key || p.dlqKey === key);
}
