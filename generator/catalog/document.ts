/**
 * The catalogue after the structural check: typed, still unresolved, every
 * entry with its document path. Parts that failed the check are left out
 * (`undefined`), so later checks can run on the rest and report more at once.
 */
import type { JsonSchema, Retention } from '../../runtime/catalog.js';
import type { DocPath } from './source-map.js';

/** A named entry of a map (`streams.x`, `events["a.b"]`); `path` locates its key. */
export interface DocEntry {
  readonly name: string;
  readonly path: DocPath;
}

/** A `$ref: "#/types/X"` found in a schema. */
export interface DocRef {
  /** The referenced type name, `X`. */
  readonly target: string;
  /** Path of the `$ref` keyword's value. */
  readonly path: DocPath;
}

/** A JSON Schema that passed the subset check. */
export interface DocSchema {
  readonly value: JsonSchema;
  readonly path: DocPath;
  /** Every `$ref` in it, in document order. */
  readonly refs: readonly DocRef[];
}

/** Retry, backoff and consumer settings of `defaults` or of one group, as written. */
export interface DocSettings {
  /** Path of the map holding them (`defaults`, `streams.s.groups.g`). */
  readonly path: DocPath;
  readonly maxAttempts?: number | undefined;
  readonly initialMs?: number | undefined;
  readonly factor?: number | undefined;
  readonly maxMs?: number | undefined;
  readonly jitter?: number | undefined;
  readonly claimIdleMs?: number | undefined;
  readonly dlq?: boolean | undefined;
  readonly startFrom?: 'latest' | 'earliest' | undefined;
  /** `circuitBreaker` as written: its fields (`true` is `{}`), or `false` (none). */
  readonly circuitBreaker?: DocCircuitBreaker | false | undefined;
}

/** The fields of a `circuitBreaker` mapping as written (durations in ms). */
export interface DocCircuitBreaker {
  readonly failureRate?: number | undefined;
  readonly minDeliveries?: number | undefined;
  readonly windowMs?: number | undefined;
  readonly coolDownMs?: number | undefined;
}

/** A consumer group of a stream. */
export interface DocGroup extends DocEntry {
  readonly stream: string;
  readonly settings: DocSettings;
  /** The `events` subset as written, absent when the group takes every event. */
  readonly events?: readonly DocEntry[];
}

/** `partitions` and `partitionKey` of a stream, both valid. */
export interface DocPartitioning {
  readonly count: number;
  readonly key: string;
  /** Path of the stream. */
  readonly path: DocPath;
}

/** A stream. */
export interface DocStream extends DocEntry {
  readonly description?: string;
  readonly retention?: Retention;
  readonly partitions?: DocPartitioning;
  readonly groups: readonly DocGroup[];
}

/** A realtime channel. */
export interface DocChannel extends DocEntry {
  readonly description?: string;
  readonly pattern?: string;
  /** Placeholders of the pattern in order, when the pattern is valid. */
  readonly params?: readonly string[];
}

/** An event type. */
export interface DocEvent extends DocEntry {
  readonly description?: string;
  readonly stream?: string;
  readonly realtime?: string;
  readonly payload?: DocSchema;
}

/** A shared type of `types:`. */
export interface DocType extends DocEntry {
  readonly schema?: DocSchema;
}

/** The sections of the catalogue that are maps of named entries. */
export type DocSection = 'channels' | 'events' | 'streams' | 'types';

/** The whole catalogue, entries in document order. */
export interface DocCatalog {
  /** Sections present but not a mapping: references into them are not checked (already reported). */
  readonly brokenSections: ReadonlySet<DocSection>;
  readonly namespace?: string | undefined;
  readonly source?: string | undefined;
  readonly defaults: DocSettings;
  readonly types: readonly DocType[];
  readonly streams: readonly DocStream[];
  readonly channels: readonly DocChannel[];
  readonly events: readonly DocEvent[];
}
