/**
 * A large synthetic catalogue: `streams` streams of `eventsPerStream` events
 * each, a group per stream, a few groups shared by every stream (with and
 * without subsets), realtime channels with params, realtime-only events,
 * shared types, and long names that stress the layout.
 */

/** Size of a synthetic catalogue. */
export interface SyntheticSize {
  readonly streams: number;
  readonly eventsPerStream: number;
  readonly channels: number;
}

/** 300 event types across 30 streams, with 30 channels. */
export const LARGE: SyntheticSize = { streams: 30, eventsPerStream: 10, channels: 30 };

const pad = (n: number) => String(n).padStart(2, '0');

/** The YAML text of a synthetic catalogue. */
export function syntheticCatalog(size: SyntheticSize = LARGE): string {
  const lines: string[] = [
    'schemabus: 1',
    'namespace: synthetic',
    'source: synthetic-service',
    'types:',
    '  Money: { type: object, required: [amount, currency], properties: { amount: { type: integer, minimum: 0 }, currency: { type: string, pattern: "^[A-Z]{3}$" } } }',
    '  Level: { type: string, enum: [debug, info, warning, error, critical-with-a-rather-long-name-for-layout] }',
    'streams:',
  ];
  for (let s = 1; s <= size.streams; s++) {
    const events = Array.from({ length: size.eventsPerStream }, (_, e) => eventName(s, e + 1));
    lines.push(
      `  stream-${pad(s)}:`,
      `    description: Stream number ${s} of the synthetic catalogue`,
      `    retention: ${s % 2 === 0 ? '{ maxLen: 1000 }' : '{ maxAge: 24h }'}`,
      '    groups:',
      `      service-${pad(s)}: {}`,
      `      audit-service: { events: [${events.slice(0, 3).join(', ')}] }`,
      '      analytics-and-reporting-service-with-a-long-name: {}',
    );
  }
  lines.push('channels:');
  for (let c = 1; c <= size.channels; c++) {
    lines.push(`  channel-${pad(c)}:`, `    pattern: "entity-${pad(c)}:{entityId}:{region}"`);
  }
  lines.push('events:');
  for (let s = 1; s <= size.streams; s++) {
    for (let e = 1; e <= size.eventsPerStream; e++) {
      lines.push(...eventLines(s, e, size));
    }
  }
  return `${lines.join('\n')}\n`;
}

function eventName(stream: number, event: number): string {
  return event === 1
    ? `domain-number-${pad(stream)}-with-a-long-name.something-rather-long-happened-${pad(event)}`
    : `domain-${pad(stream)}.thing-happened-${pad(event)}`;
}

function eventLines(stream: number, event: number, size: SyntheticSize): string[] {
  const name = eventName(stream, event);
  const index = (stream - 1) * size.eventsPerStream + event;
  const channel = index % 3 === 0 ? `channel-${pad(((index / 3) % size.channels) + 1)}` : undefined;
  const realtimeOnly = channel !== undefined && event === size.eventsPerStream;
  return [
    `  ${name}:`,
    ...(realtimeOnly ? [] : [`    stream: stream-${pad(stream)}`]),
    ...(channel === undefined ? [] : [`    realtime: ${channel}`]),
    `    description: Synthetic event ${index}, with a description long enough to be wrapped in the generated TSDoc comments`,
    '    payload:',
    '      type: object',
    '      required: [id, entityId, region, level, occurredAt]',
    '      properties:',
    '        id: { type: string, format: uuid }',
    '        entityId: { type: string, minLength: 1, maxLength: 64 }',
    '        region: { type: string, enum: [eu-west-1, us-east-1, ap-southeast-2] }',
    '        level: { $ref: "#/types/Level" }',
    '        amount: { $ref: "#/types/Money" }',
    `        count: { type: integer, minimum: 0, maximum: ${1000 + index} }`,
    '        ratio: { type: number, exclusiveMinimum: 0, exclusiveMaximum: 1 }',
    '        tags: { type: array, items: { type: string, maxLength: 32 }, maxItems: 10, uniqueItems: true }',
    '        attributes: { type: object, additionalProperties: { type: string } }',
    '        details:',
    '          type: object',
    '          properties:',
    '            note: { type: string, description: "A free-form note, which can be rather long, it is just text" }',
    '            flagged: { type: boolean }',
    '        occurredAt: { type: string, format: date-time }',
  ];
}
