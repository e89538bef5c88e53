/**
 * The normalised, resolved, sorted catalogue that every emitter consumes.
 * Built by `loadCatalog` only when the catalogue has no errors.
 */
import type { Catalog, JsonSchema } from '../../runtime/catalog.js';

/** A reusable schema from `types:`. */
export interface ModelType {
  readonly name: string;
  /** The schema, `$ref: "#/types/X"` rewritten to `#/$defs/X`. */
  readonly schema: JsonSchema;
}

/** An event type, with the TypeScript names derived from it. */
export interface ModelEvent {
  /** Catalogue name, `campaign.status-changed`. */
  readonly type: string;
  /** `CampaignStatusChanged`: TypeBox schema and payload type. */
  readonly typeName: string;
  /** `campaignStatusChanged`: publisher and handler method. */
  readonly methodName: string;
  readonly description?: string;
  readonly stream?: string;
  readonly channel?: string;
  /** The payload schema as written, `$ref`s rewritten to `#/$defs/X` (not inlined). */
  readonly schema: JsonSchema;
  /** Names of the shared types it references, directly or through other types, sorted. */
  readonly refs: readonly string[];
}

/** A group name across every stream where it exists: one service, one handler interface. */
export interface ModelService {
  /** `analytics-service`. */
  readonly name: string;
  /** `AnalyticsServiceHandlers`. */
  readonly interfaceName: string;
  /** `subscribeAnalyticsService`. */
  readonly subscribeName: string;
  /** Streams where the group exists, sorted. */
  readonly streams: readonly string[];
  /** Event types it handles across those streams, sorted. */
  readonly events: readonly string[];
}

/** A realtime channel, with the TypeScript names derived from it. */
export interface ModelChannel {
  /** `campaign-status`. */
  readonly name: string;
  /** `onCampaignStatus`. */
  readonly functionName: string;
  /** `CampaignStatusParams`. */
  readonly paramsName: string;
  readonly description?: string;
  readonly pattern: string;
  readonly params: readonly string[];
  /** Event types published on it, sorted. */
  readonly events: readonly string[];
}

/** The whole model: the runtime catalogue plus what the emitters need beyond it. */
export interface CatalogModel {
  /** Path of the catalogue as given to the generator (posix separators), for headers. */
  readonly sourcePath: string;
  /** What the runtime gets (emitted verbatim as `generated/catalog.ts`). */
  readonly catalog: Catalog;
  /** Sorted by name. */
  readonly types: readonly ModelType[];
  /** Sorted by type. */
  readonly events: readonly ModelEvent[];
  /** Sorted by name. */
  readonly services: readonly ModelService[];
  /** Sorted by name. */
  readonly channels: readonly ModelChannel[];
}
