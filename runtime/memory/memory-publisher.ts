/**
 * The publishing side of the in-memory bus: validation, the envelope, the
 * frozen copy a stored event carries, the size check, then the append to
 * the stream and the realtime message. `publishBatch` prepares every event
 * before committing any, so an invalid one stores nothing.
 */

import type { Envelope, Published, PublishMeta } from '../bus.js';
import type { Catalog } from '../catalog.js';
import { ValidationError } from '../errors.js';
import { channelName, encodeRealtimeMessage } from '../internal/channels.js';
import { encodeEnvelope, entryWithinBytes } from '../internal/entry-codec.js';
import { createEnvelope, unknownType } from '../internal/envelope.js';
import type { BusMetrics } from '../internal/metrics.js';
import { partitionFor } from '../internal/partitions.js';
import type { StatsCounter } from '../internal/stats.js';
import { endPublishSpan, type PublishTrace, tracePublish } from '../internal/tracing.js';
import type { PayloadCheck, Validators } from '../internal/validate.js';
import type { Clock } from './clock.js';
import { frozenJsonCopy } from './frozen-data.js';
import type { MemoryRealtime } from './memory-realtime.js';
import type { StreamState } from './stream-state.js';

/** What a {@link MemoryPublisher} works with. */
export interface MemoryPublisherDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly stats: StatsCounter;
  readonly metrics: BusMetrics;
  readonly validators: Validators;
  readonly realtime: MemoryRealtime;
  readonly maxEntryBytes: number;
  /** The state of a catalogue stream: one, or its partitions in order. */
  stream(name: string): readonly StreamState[];
}

/** Where events of one type go (see `#route`). */
interface Route {
  readonly check: PayloadCheck;
  /** The stream, or the partitions of a partitioned stream (chosen per event by its data). */
  readonly streams: readonly StreamState[] | undefined;
  readonly channel: Catalog['channels'][string] | undefined;
}

/** An event validated and encoded, ready to commit. */
export interface Prepared {
  readonly envelope: Envelope;
  /** The encoded entry, when computed (an oversized or non-plain payload, a realtime event). */
  readonly fields: string[] | undefined;
  /** `envelope`, frozen with a frozen copy of the data, when it is stored as an object (see LogEntry). */
  readonly stored: Envelope | undefined;
  /** The clock reading the envelope was stamped with (the entry id gets it too). */
  readonly now: number;
  readonly stream: StreamState | undefined;
  readonly channel: Catalog['channels'][string] | undefined;
  /** The PRODUCER span, when traced (ended once stored). */
  readonly trace: PublishTrace | undefined;
}

/**
 * Upper bound of the UTF-8 bytes of the entry `encodeEnvelope(envelope)`
 * makes, given a bound of its data JSON's bytes.
 */
function envelopeMaxBytes(envelope: Envelope, dataBytes: number): number {
  // Names, quotes and separators: `type`, `v1`, {"id":"","source":"","time":"","data":}.
  let bytes = 50 + 3 * envelope.type.length;
  // A character of a JSON string is at most 6 bytes (`\u001f`).
  let strings = envelope.id.length + envelope.source.length + envelope.time.length;
  if (envelope.subject !== undefined) strings += 13 + envelope.subject.length;
  if (envelope.correlationid !== undefined) strings += 19 + envelope.correlationid.length;
  if (envelope.causationid !== undefined) strings += 17 + envelope.causationid.length;
  if (envelope.traceparent !== undefined) strings += 17 + envelope.traceparent.length;
  if (envelope.tracestate !== undefined) strings += 16 + envelope.tracestate.length;
  if (envelope.replayfor !== undefined) bytes += 9 + 3 * envelope.replayfor.length;
  return bytes + 6 * strings + dataBytes;
}

/** Publishes events of one in-memory bus. */
export class MemoryPublisher {
  private readonly routes = new Map<string, Route>();

  constructor(private readonly deps: MemoryPublisherDeps) {}

  /** Where events of `type` go, looked up once per type. */
  private route(type: string): Route {
    let route = this.routes.get(type);
    if (route === undefined) {
      const event = this.deps.catalog.events[type];
      if (event === undefined) throw unknownType(this.deps.catalog, type);
      route = {
        check: this.deps.validators.forPublish(type),
        streams: event.stream === undefined ? undefined : this.deps.stream(event.stream),
        channel:
          event.channel === undefined ? undefined : this.deps.catalog.channels[event.channel],
      };
      this.routes.set(type, route);
    }
    return route;
  }

  /**
   * Validates and encodes one event; throws `ValidationError` (nothing stored)
   * when the payload or its encoded size is invalid.
   */
  prepare(type: string, data: unknown, meta: PublishMeta | undefined): Prepared {
    const { check, streams, channel } = this.route(type);
    const issues = check(data);
    if (issues !== null) {
      this.deps.stats.rejected++;
      this.deps.metrics.published(type, 'rejected');
      throw new ValidationError(type, issues);
    }
    const stream =
      streams === undefined || streams.length === 1
        ? streams?.[0]
        : streams[partitionFor(streams[0]!.def, data, type).index];
    const now = this.deps.clock.now();
    const envelope = createEnvelope(this.deps.catalog, type, data, meta, now);
    const trace = tracePublish('schemabus-memory', stream?.name ?? channel?.name ?? type, envelope);
    // Plain JSON data is stored and delivered as a frozen copy (no JSON round trip, no
    // consume-side check); anything else is encoded and decoded as on Redis.
    const frozen = frozenJsonCopy(data);
    let stored: Envelope | undefined;
    let fields: string[] | undefined;
    if (frozen !== undefined) {
      (envelope as { data: unknown }).data = frozen.value;
      stored = Object.freeze(envelope);
      if (envelopeMaxBytes(envelope, frozen.maxJsonBytes) > this.deps.maxEntryBytes) {
        fields = encodeEnvelope(envelope);
      }
    } else {
      fields = encodeEnvelope(envelope);
    }
    if (fields !== undefined && !entryWithinBytes(fields, this.deps.maxEntryBytes)) {
      this.deps.stats.rejected++;
      this.deps.metrics.published(type, 'rejected');
      const error = new ValidationError(type, [
        {
          path: '',
          message: `encoded event is larger than maxEntryBytes (${this.deps.maxEntryBytes} bytes); publish a reference to the data, or raise maxEntryBytes on every bus`,
        },
      ]);
      if (trace) endPublishSpan(trace, error);
      throw error;
    }
    // The realtime message reuses the entry's document.
    if (channel !== undefined) fields ??= encodeEnvelope(envelope);
    return { envelope, fields, stored, now, stream, channel, trace };
  }

  /** Stores a prepared event on its stream and sends it on its channel. */
  commit({ envelope, fields, stored, now, stream, channel, trace }: Prepared): Published {
    if (trace) endPublishSpan(trace);
    let entryId: string | undefined;
    if (stream !== undefined) entryId = stream.append(fields, now, stored).id;
    let concrete: string | undefined;
    if (channel !== undefined) {
      concrete = channelName(channel, envelope.data);
      // fields[3] is the entry's document (see encodeEnvelope): the payload is stringified once.
      this.deps.realtime.publish(concrete, encodeRealtimeMessage(envelope, fields![3]));
      this.deps.stats.realtimeSent++;
      this.deps.metrics.realtime(channel.name, 'sent');
    }
    this.deps.stats.published++;
    this.deps.metrics.published(envelope.type, 'ok');
    // One literal per combination: every result of a stored event has one shape, with its
    // properties in the object itself (no property store grown per publish).
    if (entryId === undefined) {
      if (concrete === undefined) return { id: envelope.id, type: envelope.type };
      return { id: envelope.id, type: envelope.type, channel: concrete };
    }
    if (stream!.def.partitions !== undefined) {
      const partition = stream!.index;
      if (concrete === undefined) {
        return { id: envelope.id, type: envelope.type, entryId, stream: stream!.name, partition };
      }
      return {
        id: envelope.id,
        type: envelope.type,
        entryId,
        stream: stream!.name,
        partition,
        channel: concrete,
      };
    }
    if (concrete === undefined) {
      return { id: envelope.id, type: envelope.type, entryId, stream: stream!.name };
    }
    return {
      id: envelope.id,
      type: envelope.type,
      entryId,
      stream: stream!.name,
      channel: concrete,
    };
  }
}
