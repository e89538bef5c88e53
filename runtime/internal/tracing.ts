/**
 * Traces across the bus with OpenTelemetry, when the application uses it.
 *
 * `@opentelemetry/api` is an optional peer dependency: loaded here once,
 * when present; absent, or present with no SDK registered, every function
 * returns at once (no span object is made) and nothing is written into the
 * envelope.
 *
 * - Publish: a PRODUCER span `send <destination>` (a child of the active
 *   context, or of the `traceparent` given in the publish meta), ended when
 *   the bus stored the event (or failed to); its context goes into the
 *   envelope as the CloudEvents `traceparent` (and `tracestate`)
 *   extensions, so it crosses Redis with the event.
 * - Delivery: the handler runs in a CONSUMER span `process <stream>` whose
 *   parent is the producer's context (and with a link to it), active while
 *   the handler runs, so the handler's own spans join the trace. A failure
 *   is recorded on it, with a `retry` or `dead-letter` event saying what the
 *   bus does next.
 *
 * Attributes follow the OpenTelemetry messaging semantic conventions
 * (`messaging.system`, `messaging.destination.name`,
 * `messaging.consumer.group.name`, `messaging.message.id`,
 * `messaging.operation.type` and `.name`), plus `schemabus.event.type` and
 * `schemabus.delivery.attempt`.
 */
import { createRequire } from 'node:module';
import type { Envelope, HandlerContext } from '../bus.js';
import { NonRetryableError } from '../errors.js';

/** The parts of `@opentelemetry/api` used here (typed locally: the package is optional). */
interface OtelApi {
  readonly trace: {
    getTracerProvider(): TracerProvider;
    setSpanContext(context: unknown, spanContext: SpanContext): unknown;
    setSpan(context: unknown, span: Span): unknown;
  };
  readonly context: {
    active(): unknown;
    with<T>(context: unknown, fn: () => T): T;
  };
  readonly ROOT_CONTEXT: unknown;
  createTraceState(text?: string): TraceState;
}

interface TracerProvider {
  getTracer(name: string): Tracer;
  /** On the API's global proxy: the registered SDK's tracer, undefined while none is registered. */
  getDelegateTracer?(name: string): Tracer | undefined;
}

interface TraceState {
  serialize(): string;
}

interface SpanContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly isRemote?: boolean;
  readonly traceState?: TraceState;
}

interface Span {
  spanContext(): SpanContext;
  isRecording(): boolean;
  setAttribute(key: string, value: string | number): void;
  addEvent(name: string, attributes?: Record<string, string | number>): void;
  recordException(error: unknown): void;
  setStatus(status: { code: number; message?: string }): void;
  end(): void;
}

interface Tracer {
  startSpan(
    name: string,
    options: {
      kind: number;
      attributes: Record<string, string | number>;
      links?: { context: SpanContext }[];
    },
    context?: unknown,
  ): Span;
}

/** SpanKind.PRODUCER and CONSUMER; SpanStatusCode.ERROR. */
const PRODUCER = 3;
const CONSUMER = 4;
const ERROR = 2;

let loaded: OtelApi | null | undefined;

/** `@opentelemetry/api`, or null when it is not installed. */
function otel(): OtelApi | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)('@opentelemetry/api') as OtelApi;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

/**
 * The tracer of the registered SDK, or undefined while none is registered
 * (asked on every publish and delivery: an SDK may be registered later), so
 * without an SDK no span object is made at all.
 */
function activeTracer(api: OtelApi): Tracer | undefined {
  const provider = api.trace.getTracerProvider();
  return typeof provider.getDelegateTracer === 'function'
    ? provider.getDelegateTracer('schemabus')
    : provider.getTracer('schemabus');
}

/** Which bus carries the events: `messaging.system`. */
export type MessagingSystem = 'redis' | 'schemabus-memory';

/** A PRODUCER span and the trace context to store with the event. */
export interface PublishTrace {
  readonly traceparent: string;
  readonly tracestate: string | undefined;
  readonly span: Span;
}

/**
 * Starts the PRODUCER span of a publish to `destination` (a stream or
 * channel name); undefined when nothing records it. `traceparent` is the one
 * the publish meta gave (its trace is continued), else the active context's.
 */
export function startPublishSpan(
  system: MessagingSystem,
  destination: string,
  type: string,
  id: string,
  traceparent: string | undefined,
  tracestate: string | undefined,
): PublishTrace | undefined {
  const api = otel();
  const tracer = api === null ? undefined : activeTracer(api);
  if (api === null || tracer === undefined) return undefined;
  const given =
    traceparent === undefined ? undefined : parseTraceparent(api, traceparent, tracestate);
  const parent = given ? api.trace.setSpanContext(api.ROOT_CONTEXT, given) : api.context.active();
  const span = tracer.startSpan(
    `send ${destination}`,
    {
      kind: PRODUCER,
      attributes: {
        'messaging.system': system,
        'messaging.destination.name': destination,
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.message.id': id,
        'schemabus.event.type': type,
      },
    },
    parent,
  );
  if (!span.isRecording()) return undefined;
  const context = span.spanContext();
  return {
    traceparent: formatTraceparent(context),
    tracestate: context.traceState?.serialize() || undefined,
    span,
  };
}

/**
 * Starts the PRODUCER span of publishing `envelope` to `destination` and
 * stores the span's context in it (`traceparent`, `tracestate`); undefined,
 * and the envelope unchanged, when nothing records the span.
 */
export function tracePublish(
  system: MessagingSystem,
  destination: string,
  envelope: Envelope,
): PublishTrace | undefined {
  const trace = startPublishSpan(
    system,
    destination,
    envelope.type,
    envelope.id,
    envelope.traceparent,
    envelope.tracestate,
  );
  if (trace === undefined) return undefined;
  const writable = envelope as { traceparent?: string; tracestate?: string };
  writable.traceparent = trace.traceparent;
  if (trace.tracestate === undefined) delete writable.tracestate;
  else writable.tracestate = trace.tracestate;
  return trace;
}

/** Ends a PRODUCER span: the event was stored, or `error` says why not. */
export function endPublishSpan(trace: PublishTrace, error?: unknown): void {
  if (error !== undefined) fail(trace.span, error);
  trace.span.end();
}

/**
 * Runs `handler` for `envelope` in a CONSUMER span (see the module comment),
 * or plainly when nothing records it. A synchronous throw becomes a rejected
 * promise either way.
 */
export function runTraced(
  system: MessagingSystem,
  envelope: Envelope,
  ctx: HandlerContext,
  handler: (envelope: Envelope, ctx: HandlerContext) => void | Promise<void>,
): Promise<void> {
  const api = otel();
  const tracer = api === null ? undefined : activeTracer(api);
  if (api === null || tracer === undefined) return settle(handler, envelope, ctx);
  const producer =
    envelope.traceparent === undefined
      ? undefined
      : parseTraceparent(api, envelope.traceparent, envelope.tracestate);
  const parent = producer ? api.trace.setSpanContext(api.ROOT_CONTEXT, producer) : api.ROOT_CONTEXT;
  const span = tracer.startSpan(
    `process ${ctx.stream}`,
    {
      kind: CONSUMER,
      attributes: {
        'messaging.system': system,
        'messaging.destination.name': ctx.stream,
        'messaging.consumer.group.name': ctx.group,
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.message.id': envelope.id,
        'schemabus.event.type': envelope.type,
        'schemabus.delivery.attempt': ctx.attempt,
      },
      ...(producer ? { links: [{ context: producer }] } : {}),
    },
    parent,
  );
  if (!span.isRecording()) return settle(handler, envelope, ctx);
  const active = api.trace.setSpan(parent, span);
  return api.context
    .with(active, () => settle(handler, envelope, ctx))
    .then(
      () => span.end(),
      (error: unknown) => {
        fail(span, error);
        const last = error instanceof NonRetryableError || ctx.attempt >= ctx.maxAttempts;
        span.addEvent(
          last ? 'dead-letter' : 'retry',
          last
            ? { reason: error instanceof NonRetryableError ? 'non-retryable' : 'exhausted' }
            : { 'schemabus.delivery.next_attempt': ctx.attempt + 1 },
        );
        span.end();
        throw error;
      },
    );
}

/** `handler(envelope, ctx)` as a promise (a throw rejects it); no closure per delivery. */
function settle(
  handler: (envelope: Envelope, ctx: HandlerContext) => void | Promise<void>,
  envelope: Envelope,
  ctx: HandlerContext,
): Promise<void> {
  try {
    return Promise.resolve(handler(envelope, ctx));
  } catch (error) {
    return Promise.reject(error);
  }
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : new Error(String(error)));
  span.setStatus({ code: ERROR, message: error instanceof Error ? error.message : String(error) });
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A W3C `traceparent` (and `tracestate`) as a remote span context; undefined when malformed. */
function parseTraceparent(
  api: OtelApi,
  traceparent: string,
  tracestate: string | undefined,
): SpanContext | undefined {
  const match = TRACEPARENT.exec(traceparent);
  if (!match || match[1] === 'ff' || /^0+$/.test(match[2]!) || /^0+$/.test(match[3]!)) {
    return undefined;
  }
  return {
    traceId: match[2]!,
    spanId: match[3]!,
    traceFlags: Number.parseInt(match[4]!, 16),
    isRemote: true,
    ...(tracestate ? { traceState: api.createTraceState(tracestate) } : {}),
  };
}

function formatTraceparent(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.traceFlags.toString(16).padStart(2, '0')}`;
}
