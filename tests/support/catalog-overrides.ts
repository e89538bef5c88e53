/** Variations of the contract test catalogue for Redis-only tests (claim times, retention). */
import type { Catalog, CatalogGroup, Retention } from '../../runtime/catalog.js';

/** `catalog` with `overrides` applied to every group of `stream` (or only `group`). */
export function withGroups(
  catalog: Catalog,
  stream: string,
  overrides: Partial<CatalogGroup>,
  group?: string,
): Catalog {
  const s = catalog.streams[stream];
  if (s === undefined) throw new Error(`no stream ${stream}`);
  const groups: Record<string, CatalogGroup> = {};
  for (const [name, g] of Object.entries(s.groups)) {
    groups[name] = group === undefined || group === name ? { ...g, ...overrides } : g;
  }
  return { ...catalog, streams: { ...catalog.streams, [stream]: { ...s, groups } } };
}

/** `catalog` with the retention of `stream` replaced. */
export function withRetention(catalog: Catalog, stream: string, retention: Retention): Catalog {
  const s = catalog.streams[stream];
  if (s === undefined) throw new Error(`no stream ${stream}`);
  return { ...catalog, streams: { ...catalog.streams, [stream]: { ...s, retention } } };
}
