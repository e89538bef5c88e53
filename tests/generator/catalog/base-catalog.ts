/**
 * A minimal valid catalogue for the bad-catalogue table, one string per
 * line so cases can name the line they change and the reader can count.
 */
export const BASE_LINES: readonly string[] = [
  'schemabus: 1', // 1
  'namespace: shop', // 2
  'source: order-service', // 3
  'types:', // 4
  '  Money:', // 5
  '    type: object', // 6
  '    required: [amount, currency]', // 7
  '    properties:', // 8
  '      amount: { type: integer }', // 9
  '      currency: { type: string }', // 10
  'streams:', // 11
  '  order-events:', // 12
  '    retention: { maxLen: 1000 }', // 13
  '    groups:', // 14
  '      billing-service: {}', // 15
  '      audit-service: { events: [order.placed] }', // 16
  '  payment-events:', // 17
  '    retention: { maxAge: 7d }', // 18
  '    groups:', // 19
  '      audit-service: {}', // 20
  'channels:', // 21
  '  order-status:', // 22
  '    pattern: "order:{orderId}:status"', // 23
  'events:', // 24
  '  order.placed:', // 25
  '    stream: order-events', // 26
  '    realtime: order-status', // 27
  '    payload:', // 28
  '      type: object', // 29
  '      required: [orderId, total]', // 30
  '      properties:', // 31
  '        orderId: { type: string, format: uuid }', // 32
  '        total: { $ref: "#/types/Money" }', // 33
  '  order.shipped:', // 34
  '    stream: order-events', // 35
  '    payload: { type: object, properties: { carrier: { type: string } } }', // 36
  '  payment.captured:', // 37
  '    stream: payment-events', // 38
  '    payload: { type: object, required: [amount], properties: { amount: { $ref: "#/types/Money" } } }', // 39
];

/** The base catalogue as text. */
export const BASE = `${BASE_LINES.join('\n')}\n`;

/**
 * The base with some lines replaced (1-based line number -> new text).
 * A replacement with several lines (an array) shifts the lines after it;
 * `null` removes the line. Line numbers always refer to the base.
 */
export function withLines(changes: { [line: number]: string | readonly string[] | null }): string {
  const out: string[] = [];
  BASE_LINES.forEach((line, i) => {
    const change = changes[i + 1];
    if (change === undefined) out.push(line);
    else if (change !== null) out.push(...(typeof change === 'string' ? [change] : change));
  });
  for (const [line, change] of Object.entries(changes)) {
    if (Number(line) > BASE_LINES.length && change !== null) {
      out.push(...(typeof change === 'string' ? [change] : change));
    }
  }
  return `${out.join('\n')}\n`;
}
