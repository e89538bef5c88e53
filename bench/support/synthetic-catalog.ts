/**
 * A synthetic catalogue of `events` event types for the codegen case: one
 * stream and one service per 20 events, an audit service reading a subset of
 * every stream, one realtime channel per stream carrying every fifth event,
 * shared types referenced from every payload.
 */

const EVENTS_PER_STREAM = 20;

export function syntheticCatalog(events: number): string {
  const domains = Math.ceil(events / EVENTS_PER_STREAM);
  const lines: string[] = [
    '# Synthetic catalogue for the codegen benchmark.',
    'schemabus: 1',
    'namespace: synthetic',
    'source: bench-service',
    '',
    'defaults:',
    '  retry: { maxAttempts: 4, backoff: { initialMs: 200, factor: 2, maxMs: 30000, jitter: 0.2 } }',
    '  claimIdleMs: 60000',
    '  dlq: true',
    '',
    'types:',
    '  Money:',
    '    type: object',
    '    required: [amount, currency]',
    '    properties:',
    '      amount: { type: integer, minimum: 0 }',
    '      currency: { type: string, pattern: "^[A-Z]{3}$" }',
    '  Status:',
    '    type: string',
    '    enum: [draft, active, paused, completed]',
    '',
    'streams:',
  ];
  const typesOf = (d: number) => {
    const first = d * EVENTS_PER_STREAM;
    const last = Math.min(events, first + EVENTS_PER_STREAM);
    return Array.from({ length: last - first }, (_, j) => `domain${d}.event-${first + j}`);
  };
  for (let d = 0; d < domains; d++) {
    const audited = typesOf(d).slice(0, 3);
    lines.push(
      `  domain${d}-events:`,
      `    description: Events of domain ${d}`,
      `    retention: { maxLen: 10000 }`,
      '    groups:',
      `      domain${d}-service: {}`,
      `      audit-service: { events: [${audited.join(', ')}] }`,
    );
  }
  lines.push('', 'channels:');
  for (let d = 0; d < domains; d++) {
    lines.push(`  domain${d}-status:`, `    pattern: "domain${d}:{entityId}:status"`);
  }
  lines.push('', 'events:');
  for (let d = 0; d < domains; d++) {
    typesOf(d).forEach((type, j) => {
      lines.push(
        `  ${type}:`,
        `    stream: domain${d}-events`,
        ...(j % 5 === 0 ? [`    realtime: domain${d}-status`] : []),
        `    description: Synthetic event ${type}`,
        '    payload:',
        '      type: object',
        '      required: [entityId, status, occurredAt]',
        '      properties:',
        '        entityId: { type: string, format: uuid }',
        '        name: { type: string, minLength: 1, maxLength: 200 }',
        '        amount: { $ref: "#/types/Money" }',
        '        status: { $ref: "#/types/Status" }',
        '        count: { type: integer, minimum: 0 }',
        '        tags: { type: array, items: { type: string, maxLength: 50 }, maxItems: 20 }',
        '        occurredAt: { type: string, format: date-time }',
      );
    });
  }
  return `${lines.join('\n')}\n`;
}
