/** What the parts of one RedisEventBus share. */

import { didYouMean } from '../../schema/closest-name.js';
import type { Logger } from '../bus.js';
import type { Catalog, CatalogStream } from '../catalog.js';
import { CatalogMismatchError } from '../errors.js';
import type { BusMetrics } from '../internal/metrics.js';
import type { StatsCounter } from '../internal/stats.js';
import type { Validators } from '../internal/validate.js';
import type { Connections } from './connections.js';
import type { LossWatch } from './loss-watch.js';

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
  /** Remembers the newest entry seen per stream, to notice data Redis lost (loss-watch.ts). */
  readonly losses: LossWatch;
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
