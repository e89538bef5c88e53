/**
 * One publish before it is sent: validated, its envelope built, encoded as
 * entry fields and realtime message, its size checked; and the one Redis
 * command that sends it.
 */
import type { Envelope, PublishMeta, WaitForReplicas } from '../bus.js';
import type { CatalogEvent, CatalogStream } from '../catalog.js';
import { ValidationError } from '../errors.js';
import { channelName, encodeRealtimeMessage } from '../internal/channels.js';
import { encodeEnvelope, entryWithinBytes } from '../internal/entry-codec.js';
import { createEnvelope, unknownType } from '../internal/envelope.js';
import { partitionFor } from '../internal/partitions.js';
import { endPublishSpan, type PublishTrace, tracePublish } from '../internal/tracing.js';
import { type BusContext, streamOf } from './bus-context.js';
import { dedupKey } from './keys.js';

/** The commands a publish is sent with (the scripts are defined on the command connection). */
type PublishCommand = 'schemabusPublishOnce' | 'schemabusPublishRealtime' | 'xadd' | 'publish';
export type PublishCommands = { [K in PublishCommand]: (...args: (string | number)[]) => unknown };

/** One event ready to send. */
export interface Prepared {
  readonly envelope: Envelope;
  /** The catalogue channel name (metrics label), when realtime. */
  readonly channelDef: string | undefined;
  readonly stream: CatalogStream | undefined;
  /** The stream key the entry goes to: the stream's, or its partition's (`partitionFor`). */
  readonly key: string | undefined;
  /** The partition, when the stream is partitioned. */
  readonly partition: number | undefined;
  readonly fields: string[] | undefined;
  readonly channel: string | undefined;
  readonly message: string | undefined;
  /** The replicas to wait for (stream events only). */
  readonly wait: WaitForReplicas | undefined;
  /** The PRODUCER span, when traced (ended by the publisher once Redis replied). */
  readonly trace: PublishTrace | undefined;
}

/**
 * Validates one event and builds what sending it needs: the envelope, its
 * entry fields and realtime message; throws `ValidationError` (nothing sent)
 * when the payload, or the size of its entry, is invalid.
 */
export function prepareEvent(
  ctx: BusContext,
  type: string,
  data: unknown,
  meta: PublishMeta | undefined,
  /** The bus option `waitForReplicas`. */
  waitForReplicas?: WaitForReplicas,
): Prepared {
  const { catalog, validators, stats, metrics } = ctx;
  const event: CatalogEvent | undefined = catalog.events[type];
  if (event === undefined) throw unknownType(catalog, type);
  const issues = validators.forPublish(type)(data);
  if (issues) {
    stats.rejected++;
    metrics.published(type, 'rejected');
    throw new ValidationError(type, issues);
  }
  const stream = event.stream === undefined ? undefined : streamOf(catalog, event.stream);
  // Routed before anything is built: a payload without its partition key publishes nothing.
  const target = stream === undefined ? undefined : partitionFor(stream, data, type);
  const envelope = createEnvelope(catalog, type, data, meta);
  const channelDef = event.channel === undefined ? undefined : catalog.channels[event.channel];
  const trace = tracePublish('redis', stream?.name ?? channelDef?.name ?? type, envelope);
  const fields = stream ? encodeEnvelope(envelope) : undefined;
  const channel = channelDef ? channelName(channelDef, data) : undefined;
  // fields[3] is the entry's document: the realtime message reuses it.
  const message = channel ? encodeRealtimeMessage(envelope, fields?.[3]) : undefined;
  const size = fields ?? (message !== undefined ? [message] : []);
  if (!entryWithinBytes(size, ctx.maxEntryBytes)) {
    stats.rejected++;
    metrics.published(type, 'rejected');
    const error = new ValidationError(type, [
      {
        path: '',
        message: `makes an entry larger than ${ctx.maxEntryBytes} bytes (maxEntryBytes); store large payloads elsewhere and publish a reference`,
      },
    ]);
    if (trace) endPublishSpan(trace, error);
    throw error;
  }
  const wait = stream ? (meta?.waitForReplicas ?? waitForReplicas) : undefined;
  return {
    envelope,
    channelDef: channelDef?.name,
    stream,
    key: target?.key,
    partition: stream?.partitions === undefined ? undefined : target?.index,
    fields,
    channel,
    message,
    wait,
    trace,
  };
}

/**
 * The command that publishes `p` (with `dedupTtlMs`: idempotently): the
 * idempotent-publish script, the XADD-then-PUBLISH script for a stream event that is also realtime, XADD,
 * or PUBLISH for a realtime-only event.
 */
export function publishCommand(
  p: Prepared,
  dedupTtlMs: number | undefined,
): [PublishCommand, (string | number)[]] {
  if (p.key !== undefined && dedupTtlMs !== undefined) {
    const marker = dedupKey(p.key, p.envelope.id);
    return [
      'schemabusPublishOnce',
      [p.key, marker, dedupTtlMs, p.channel ?? '', p.message ?? '', ...p.fields!],
    ];
  }
  if (p.key !== undefined && p.channel) {
    return ['schemabusPublishRealtime', [p.key, p.channel, p.message!, ...p.fields!]];
  }
  if (p.key !== undefined) return ['xadd', [p.key, '*', ...p.fields!]];
  return ['publish', [p.channel!, p.message!]];
}

/** What failed, for error messages. */
export function describe(prepared: readonly Prepared[]): string {
  if (prepared.length === 1) {
    const p = prepared[0]!;
    return `publish of ${p.envelope.type} (id ${p.envelope.id})`;
  }
  return `publishBatch of ${prepared.length} events`;
}

/** The entry id in an XADD reply, or in the idempotent-publish script's `[id, added]`. */
export function entryIdOf(reply: unknown): string | undefined {
  if (typeof reply === 'string') return reply;
  if (Array.isArray(reply) && typeof reply[0] === 'string') return reply[0];
  return undefined;
}
