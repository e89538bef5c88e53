/** The handler map of a group: the same handler for every event type the group listens to. */
import type { Catalog, Handler, HandlerMap } from '../../../runtime/index.js';

export function handlersOf(catalog: Catalog, group: string, handler: Handler): HandlerMap {
  const types = Object.values(catalog.streams).flatMap((s) => s.groups[group]?.events ?? []);
  return Object.fromEntries(types.map((type) => [type, handler]));
}
