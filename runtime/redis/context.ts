/** What the parts of one RedisEventBus share. */
import type { Logger } from '../bus.js';
import type { Catalog, CatalogStream } from '../catalog.js';
import { CatalogMismatchError } from '../errors.js';
import type { BusMetrics } from '../metrics.js';
import type { StatsCounter } from '../stats.js';
import { didYouMean } from '../suggest.js';
import type { Validators } from '../validate.js';
import type { Connections } from './connection.js';

/** The shared state of one bus, handed to its publisher, consumers, DLQs and retention keeper. */
export interface BusContext {
  readonly catalog: Catalog;
  readonly connections: Connections;
  readonly validators: Validators;
  readonly stats: StatsCounter;
  readonly metrics: BusMetrics;
  readonly logger: Logger;
  /** Largest entry published or decoded, in UTF-8 bytes. */
  readonly maxEntryBytes: number;
}

/** The catalogue stream named `name`, or a `CatalogMismatchError` with a hint. */
export function streamOf(catalog: Catalog, name: string): CatalogStream {
  const stream = catalog.streams[name];
  if (stream === undefined) {
    throw new CatalogMismatchError(
      `unknown stream "${name}": catalogue "${catalog.namespace}" has no such stream${didYouMean(name, Object.keys(catalog.streams))}`,
    );
  }
  return stream;
}
