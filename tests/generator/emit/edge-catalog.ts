/**
 * A small catalogue using every supported JSON Schema keyword and awkward
 * text (quotes, backticks, comment ends, non-ASCII), to check that the
 * generated code compiles and is already formatted.
 */
export const EDGE_CATALOG = `schemabus: 1
namespace: edge
source: edge-service
types:
  Money:
    type: object
    title: Money
    description: "An amount; it's in \`cents\` */ really"
    required: [amount]
    properties:
      amount: { type: integer, minimum: 0, multipleOf: 1 }
      currency: { type: string, pattern: "^[A-Z]{3}$", default: EUR, examples: [EUR, USD] }
  Point:
    type: object
    required: [x, y]
    properties:
      x: { type: number, exclusiveMinimum: -180, exclusiveMaximum: 180 }
      y: { type: number }
  Shape:
    oneOf:
      - { $ref: "#/types/Point" }
      - { type: object, required: [points], properties: { points: { type: array, items: { $ref: "#/types/Point" }, minItems: 3 } } }
streams:
  edge-events:
    retention: { maxLen: 10 }
    partitions: 3
    partitionKey: tenant
    groups:
      edge-consumer: {}
channels:
  edge-live:
    description: "Live \\"edge\\" events"
    pattern: "edge:{tenant}:{level}"
events:
  edge.everything-happened:
    stream: edge-events
    realtime: edge-live
    description: "Uses every keyword: café, naïve, 'quotes' and \\"doubles\\""
    payload:
      type: object
      required: [tenant, level, money]
      properties:
        tenant: { type: string, minLength: 1, maxLength: 64, format: hostname }
        level: { type: integer, minimum: 1, maximum: 5 }
        money: { $ref: "#/types/Money" }
        shape: { $ref: "#/types/Shape" }
        "x-trace-id": { type: string, deprecated: true }
        mode: { const: strict }
        weight: { enum: [1, 2.5, 10] }
        nothing: { type: "null" }
        maybe: { anyOf: [{ type: string }, { type: "null" }] }
        both: { allOf: [{ $ref: "#/types/Point" }, { type: object, properties: { label: { type: string } } }] }
        matrix: { type: array, items: { type: array, items: { type: number } }, uniqueItems: true }
        labels: { type: object, additionalProperties: { type: string, maxLength: 10 }, maxProperties: 5 }
        free: { type: object }
        open: { type: object, properties: { a: { type: boolean } }, additionalProperties: true }
        closed: { type: object, additionalProperties: false }
        anything: {}
`;

/**
 * A catalogue carrying each of `texts` verbatim where catalogue text reaches
 * generated code: event `text.case-<i>` has `texts[i]` as its description
 * (TSDoc and catalogue data), as the description of payload field `note` (a
 * TypeBox option) and as the only value of payload field `label` (a TypeBox
 * literal).
 */
export function textCatalog(texts: readonly string[]): string {
  const events = texts.flatMap((text, i) => [
    `  text.case-${i}:`,
    '    stream: text-events',
    `    description: ${yamlString(text)}`,
    '    payload:',
    '      type: object',
    '      properties:',
    `        note: { type: string, description: ${yamlString(text)} }`,
    `        label: { enum: [${yamlString(text)}] }`,
  ]);
  return [
    'schemabus: 1',
    'namespace: text',
    'source: text-service',
    'streams:',
    '  text-events:',
    '    retention: { maxLen: 10 }',
    '    groups:',
    '      text-consumer: {}',
    'events:',
    ...events,
    '',
  ].join('\n');
}

/** `text` as a YAML double-quoted scalar, everything outside printable ASCII escaped. */
function yamlString(text: string): string {
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
