/**
 * The catalogue `schemabus init` writes: small, commented, valid, and of a
 * domain every reader knows (orders), so a new project starts from
 * something `check` passes and `codegen` turns into a typed API.
 */

/** The starter `events.schema.yaml`. */
export const STARTER_CATALOG = `# The event catalogue: every event, stream, consumer group and realtime channel
# of this service. Check it with \`npx schemabus check\`; generate the typed
# API with \`npm run codegen\` (commit the generated files).
schemabus: 1                 # catalogue format version
namespace: shop              # every Redis key of this catalogue starts with it
source: order-service        # the default \`source\` of the events published here

defaults:                    # inherited by every group unless it overrides them
  retry: { maxAttempts: 5, backoff: { initialMs: 500, factor: 2, maxMs: 60000, jitter: 0.2 } }
  claimIdleMs: 60000         # an entry held this long by a silent consumer is taken over
  dlq: true                  # events that fail every attempt go to the stream's DLQ

types:                       # shared JSON Schemas, used as { $ref: "#/types/Money" }
  Money:
    type: object
    required: [amount, currency]
    properties:
      amount: { type: integer, minimum: 0, description: Minor units (cents) }
      currency: { type: string, pattern: "^[A-Z]{3}$" }

streams:                     # Redis Streams: stored, delivered at least once per group
  order-events:
    description: What happens to an order
    retention: { maxLen: 100000 }    # or { maxAge: 7d }; never trims what a group still needs
    groups:
      fulfilment-service: {}         # gets every event of the stream
      billing-service: { events: [order.placed] }   # only these; others are acked unseen

channels:                    # realtime pub/sub: at most once, to live subscribers only
  order-status:
    pattern: "order:{orderId}:status"   # {orderId} is filled from the payload

events:
  order.placed:
    stream: order-events
    description: A customer placed an order
    payload:
      type: object
      required: [orderId, customerId, total, placedAt]
      properties:
        orderId: { type: string, format: uuid }
        customerId: { type: string, minLength: 1 }
        total: { $ref: "#/types/Money" }
        placedAt: { type: string, format: date-time }   # an ISO 8601 string in TypeScript
  order.shipped:
    stream: order-events
    realtime: order-status   # stored on the stream and also sent on the channel
    description: The order left the warehouse
    payload:
      type: object
      required: [orderId, carrier]
      properties:
        orderId: { type: string, format: uuid }
        carrier: { type: string, enum: [post, courier, pickup] }
        trackingCode: { type: string, maxLength: 64 }
`;
