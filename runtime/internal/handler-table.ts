/** Subscribe-time checks that the handlers given match the catalogue. */

import { didYouMean } from '../../schema/closest-name.js';
import type { HandlerMap } from '../bus.js';
import type { Catalog, CatalogGroup } from '../catalog.js';
import { CatalogMismatchError } from '../errors.js';

/**
 * The catalogue groups named `group`, one per stream where it exists (sorted
 * by stream name). Throws `CatalogMismatchError` (with a did-you-mean hint)
 * when no stream has such a group.
 */
export function resolveGroup(catalog: Catalog, group: string): CatalogGroup[] {
  const found: CatalogGroup[] = [];
  const known = new Set<string>();
  for (const name of Object.keys(catalog.streams).sort()) {
    const stream = catalog.streams[name]!;
    for (const g of Object.keys(stream.groups)) known.add(g);
    const match = stream.groups[group];
    if (match !== undefined) found.push(match);
  }
  if (found.length === 0) {
    throw new CatalogMismatchError(
      `unknown group "${group}": no stream of catalogue "${catalog.namespace}" has it${didYouMean(group, known)}; add the group to events.schema.yaml and run codegen, or subscribe with a group the catalogue lists`,
    );
  }
  return found;
}

/**
 * Checks that `handlers` has exactly one function per event type `group`
 * listens to (on every stream where it exists) and returns those groups.
 * Throws `CatalogMismatchError` naming every missing and every unknown type.
 */
export function checkHandlers(
  catalog: Catalog,
  group: string,
  handlers: HandlerMap,
): CatalogGroup[] {
  const groups = resolveGroup(catalog, group);
  const expected = new Set<string>();
  for (const g of groups) for (const type of g.events) expected.add(type);
  const missing = [...expected].filter((type) => typeof handlers[type] !== 'function').sort();
  const unknown = Object.keys(handlers)
    .filter((type) => !expected.has(type))
    .sort();
  if (missing.length > 0 || unknown.length > 0) {
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing a handler for ${missing.join(', ')}`);
    if (unknown.length > 0) {
      parts.push(
        `handlers for events the group does not listen to: ${unknown
          .map((type) => `${type}${didYouMean(type, expected)}`)
          .join(', ')}`,
      );
    }
    throw new CatalogMismatchError(
      `handlers of group "${group}" do not match catalogue "${catalog.namespace}": ${parts.join('; ')}; implement the generated handler interface of the group (or run codegen if the catalogue changed)`,
    );
  }
  return groups;
}
