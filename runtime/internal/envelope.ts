/**
 * The CloudEvents 1.0 envelope of a publish: id, time and source filled in,
 * `meta` checked (entry-codec.ts turns it into a stream entry and back).
 */

import { didYouMean } from '../../schema/closest-name.js';
import type { Envelope, PublishMeta } from '../bus.js';
import type { Catalog } from '../catalog.js';
import { CatalogMismatchError } from '../errors.js';
import { newEventId } from './ids.js';

let lastTimeMs = -1;
let lastTimeIso = '';

/** `new Date(ms).toISOString()`, cached for the current millisecond. */
function isoNow(ms: number): string {
  if (ms !== lastTimeMs) {
    lastTimeMs = ms;
    lastTimeIso = new Date(ms).toISOString();
  }
  return lastTimeIso;
}

/**
 * Builds the envelope of one event. Does not validate `data` (see
 * `createValidators`). Throws `CatalogMismatchError` for a type the catalogue
 * does not know.
 */
export function createEnvelope(
  catalog: Catalog,
  type: string,
  data: unknown,
  meta?: PublishMeta,
  now: number = Date.now(),
): Envelope {
  if (catalog.events[type] === undefined) throw unknownType(catalog, type);
  if (meta === undefined) {
    return {
      specversion: '1.0',
      id: newEventId(now),
      source: catalog.source,
      type,
      time: isoNow(now),
      datacontenttype: 'application/json',
      data,
    };
  }
  checkMeta(meta);
  const time = meta.time;
  const envelope: {
    -readonly [K in keyof Envelope]: Envelope[K];
  } = {
    specversion: '1.0',
    id: meta.id ?? newEventId(now),
    source: meta.source ?? catalog.source,
    type,
    time: time === undefined ? isoNow(now) : typeof time === 'string' ? time : time.toISOString(),
    datacontenttype: 'application/json',
    data,
  };
  if (meta.subject !== undefined) envelope.subject = meta.subject;
  if (meta.correlationId !== undefined) envelope.correlationid = meta.correlationId;
  if (meta.causationId !== undefined) envelope.causationid = meta.causationId;
  if (meta.traceparent !== undefined) envelope.traceparent = meta.traceparent;
  if (meta.tracestate !== undefined) envelope.tracestate = meta.tracestate;
  return envelope;
}

const META_STRINGS = [
  'id',
  'source',
  'subject',
  'correlationId',
  'causationId',
  'traceparent',
  'tracestate',
];

/**
 * Throws a `TypeError` naming the attribute when `meta` (from plain
 * JavaScript, say) holds a non-string attribute or a `time` that is neither a
 * string nor a Date: before anything is sent.
 */
function checkMeta(meta: PublishMeta): void {
  const record = meta as unknown as Record<string, unknown>;
  for (const name of META_STRINGS) {
    const value = record[name];
    if (value !== undefined && typeof value !== 'string') {
      throw new TypeError(`publish meta.${name} must be a string, got ${describeType(value)}`);
    }
  }
  const time: unknown = meta.time;
  if (time !== undefined && typeof time !== 'string' && !(time instanceof Date)) {
    throw new TypeError(`publish meta.time must be a string or a Date, got ${describeType(time)}`);
  }
  checkWaitForReplicas(meta.waitForReplicas, 'publish meta.waitForReplicas');
}

/**
 * Throws a `TypeError` unless `value` is undefined or `{ replicas, timeoutMs }`
 * with positive integers (WAIT's timeout 0 would wait forever).
 */
export function checkWaitForReplicas(value: unknown, what: string): void {
  if (value === undefined) return;
  const { replicas, timeoutMs } = (value ?? {}) as Record<string, unknown>;
  const positive = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (typeof value !== 'object' || value === null || !positive(replicas) || !positive(timeoutMs)) {
    throw new TypeError(
      `${what} must be { replicas, timeoutMs } with integers of 1 or more, got ${JSON.stringify(value)}`,
    );
  }
}

function describeType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/** The error for an event type the catalogue does not know. */
export function unknownType(catalog: Catalog, type: string): CatalogMismatchError {
  return new CatalogMismatchError(
    `unknown event type "${type}": catalogue "${catalog.namespace}" (fingerprint ${catalog.fingerprint.slice(0, 12)}) has no such event${didYouMean(type, Object.keys(catalog.events))}; add it to events.schema.yaml and run codegen, or deploy the service with the current generated code`,
  );
}
