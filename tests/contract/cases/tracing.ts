/**
 * Traces across the bus (runtime/internal/tracing.ts), with the OpenTelemetry
 * SDK's in-memory exporter: a publish is a PRODUCER span whose context
 * travels in the envelope; the handler runs in a CONSUMER span, child of the
 * producer and linked to it, in the same trace; a failure is recorded with
 * what the bus does next.
 */
import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Envelope } from '../../../runtime/bus.js';
import { waitFor } from '../../support/wait.js';
import { type Job, jobs } from '../helpers.js';
import type { ContractContext } from '../suite.js';

const exporter = new InMemorySpanExporter();

/** The finished spans named `name`. */
const named = (name: string): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((s) => s.name === name);

export function tracingCases({ h }: ContractContext): void {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
  });
  afterAll(() => {
    trace.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it('a publish and its handling are one trace: PRODUCER send, CONSUMER process (child and link), the handler inside', async () => {
    const { bus } = h();
    const tracer = trace.getTracer('test');
    bus.subscribe('workers', {
      'job.requested': async () => {
        tracer.startActiveSpan('handler work', (span: Span) => span.end());
      },
    });
    let traceId = '';
    await tracer.startActiveSpan('request', async (request: Span) => {
      traceId = request.spanContext().traceId;
      await bus.publish('job.requested', jobs(1)[0]!.data);
      request.end();
    });
    await waitFor(
      () => named('handler work').length === 1,
      () => 'the handler span',
    );
    const [send] = named('send jobs');
    const [process] = named('process jobs');
    const [work] = named('handler work');
    const [request] = named('request');
    expect(send!.kind).toBe(SpanKind.PRODUCER);
    expect(process!.kind).toBe(SpanKind.CONSUMER);
    for (const span of [send, process, work]) expect(span!.spanContext().traceId).toBe(traceId);
    expect(send!.parentSpanContext?.spanId).toBe(request!.spanContext().spanId);
    expect(process!.parentSpanContext?.spanId).toBe(send!.spanContext().spanId);
    expect(process!.links.map((l) => l.context.spanId)).toEqual([send!.spanContext().spanId]);
    expect(work!.parentSpanContext?.spanId).toBe(process!.spanContext().spanId);
    expect(send!.attributes).toMatchObject({
      'messaging.destination.name': 'jobs',
      'messaging.operation.type': 'send',
      'schemabus.event.type': 'job.requested',
    });
    expect(process!.attributes).toMatchObject({
      'messaging.destination.name': 'jobs',
      'messaging.consumer.group.name': 'workers',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'schemabus.delivery.attempt': 1,
    });
    expect(process!.attributes['messaging.message.id']).toBe(
      send!.attributes['messaging.message.id'],
    );
    expect(['redis', 'schemabus-memory']).toContain(process!.attributes['messaging.system']);
  });

  it('a failed delivery records the error and a retry event; the retry is traced too', async () => {
    const { bus } = h();
    let attempts = 0;
    bus.subscribe('workers', {
      'job.requested': async (_event: Envelope<Job>) => {
        if (++attempts === 1) throw new Error('database away');
      },
    });
    const published = await bus.publish('job.requested', jobs(1)[0]!.data);
    await waitFor(
      () => named('process jobs').length === 2,
      () => 'two process spans',
    );
    const [first, second] = named('process jobs');
    expect(first!.status.code).toBe(SpanStatusCode.ERROR);
    expect(first!.status.message).toBe('database away');
    expect(first!.events.map((e) => e.name)).toEqual(['exception', 'retry']);
    expect(second!.status.code).not.toBe(SpanStatusCode.ERROR);
    expect(second!.attributes['schemabus.delivery.attempt']).toBe(2);
    expect(second!.spanContext().traceId).toBe(first!.spanContext().traceId);
    expect(first!.attributes['messaging.message.id']).toBe(published.id);
  });

  it('a publish given a traceparent continues that trace', async () => {
    const { bus } = h();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await bus.publish('job.requested', jobs(1)[0]!.data, { traceparent, tracestate: 'k=v' });
    const [send] = named('send jobs');
    expect(send!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(send!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(send!.spanContext().traceState?.serialize()).toBe('k=v');
  });
}
