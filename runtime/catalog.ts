/**
 * The normalised catalogue as the runtime needs it: Redis keys, retention,
 * groups with their events and retry policy, channels and payload schemas.
 * `generated/catalog.ts` holds one value of this type; the runtime never
 * reads YAML.
 */

/** A JSON Schema (2020-12) object, as written in the catalogue with `$ref`s to `#/$defs/...`. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** Exponential backoff between delivery attempts. */
export interface BackoffPolicy {
  /** Delay before the second attempt. @default 200 */
  readonly initialMs: number;
  /** Growth per attempt: delay(n) = initialMs * factor^(n-1). @default 2 */
  readonly factor: number;
  /** Upper bound of one delay. @default 30000 */
  readonly maxMs: number;
  /** Random spread, a fraction of the delay (0.2 = +-20%). @default 0.2 */
  readonly jitter: number;
}

/** How often an event is delivered to a group before it is dead-lettered. */
export interface RetryPolicy {
  /** Deliveries in all, the first one included. @default 4 */
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
}

/** Exactly one of the two: keep the newest `maxLen` entries, or entries younger than `maxAgeMs`. */
export type Retention = { readonly maxLen: number } | { readonly maxAgeMs: number };

/**
 * A group's circuit breaker (opt-in): its consumers stop reading for
 * `coolDownMs` when more than `failureRate` of at least `minDeliveries`
 * deliveries of the last `windowMs` failed.
 */
export interface CatalogCircuitBreaker {
  /** @default 0.5 */
  readonly failureRate: number;
  /** @default 10 */
  readonly minDeliveries: number;
  /** @default 10000 */
  readonly windowMs: number;
  /** @default 30000 */
  readonly coolDownMs: number;
}

/** A consumer group of one stream. */
export interface CatalogGroup {
  readonly name: string;
  readonly stream: string;
  /** Event types this group handles, sorted; entries of other types are acked unseen. */
  readonly events: readonly string[];
  readonly retry: RetryPolicy;
  /** A pending entry idle this long is taken over from a consumer presumed dead. */
  readonly claimIdleMs: number;
  /** Whether exhausted or poison entries go to the stream's DLQ (else they are acked and counted). */
  readonly dlq: boolean;
  /** Where a new group starts reading: only new entries, or the whole stream. */
  readonly startFrom: 'latest' | 'earliest';
  /** Its circuit breaker; absent when it has none (subscribe options may still add one). */
  readonly circuitBreaker?: CatalogCircuitBreaker;
}

/** A partitioned stream: `count` stream keys, each with its own hash tag, so they spread over a cluster's slots. */
export interface CatalogPartitioning {
  /** How many partitions (2..1024). */
  readonly count: number;
  /** The payload field whose value routes an event: a required string or number field of every event of the stream. */
  readonly key: string;
}

/**
 * A Redis Stream and the keys beside it (all sharing one hash tag). A
 * partitioned stream is `partitions.count` such streams, `{namespace:stream:p<i>}`,
 * each with its own DLQ and hash tag (see `runtime/internal/partitions.ts`).
 */
export interface CatalogStream {
  readonly name: string;
  readonly description?: string;
  /** The stream key, `{namespace:stream}`. */
  readonly key: string;
  /** The dead-letter stream, `{namespace:stream}:dlq`. */
  readonly dlqKey: string;
  readonly retention: Retention;
  /** Groups by name, sorted. */
  readonly groups: { readonly [group: string]: CatalogGroup };
  /** Event types published on this stream, sorted. */
  readonly events: readonly string[];
  /**
   * Set when the stream is partitioned: events are appended to one of
   * `count` stream keys chosen by their `key` field, and each group reads
   * every partition. Absent for a single stream key.
   */
  readonly partitions?: CatalogPartitioning;
}

/** A realtime pub/sub channel. */
export interface CatalogChannel {
  readonly name: string;
  /** Channel name pattern with `{param}` placeholders, e.g. `campaign:{campaignId}:status`. */
  readonly pattern: string;
  /** The placeholders of `pattern`, in order of appearance. */
  readonly params: readonly string[];
  /** The Redis channel prefix: every channel of the catalogue lives under `namespace:`. */
  readonly prefix: string;
  /** Event types published on this channel, sorted. */
  readonly events: readonly string[];
}

/** An event type. */
export interface CatalogEvent {
  readonly type: string;
  readonly description?: string;
  /** The stream it is stored on; absent for realtime-only events. */
  readonly stream?: string;
  /** The realtime channel it is also (or only) published on. */
  readonly channel?: string;
  /** Payload JSON Schema, self-contained (shared types inlined under `$defs`). */
  readonly schema: JsonSchema;
}

/** The catalogue the runtime works with (`generated/catalog.ts` exports one). */
export interface Catalog {
  /** Catalogue format version. */
  readonly format: 1;
  readonly namespace: string;
  /** Default CloudEvents `source`. */
  readonly source: string;
  /** sha256 of the normalised catalogue, to tell two services' catalogues apart. */
  readonly fingerprint: string;
  readonly streams: { readonly [stream: string]: CatalogStream };
  readonly channels: { readonly [channel: string]: CatalogChannel };
  readonly events: { readonly [type: string]: CatalogEvent };
}
