/**
 * What the demo waits for, derived from the catalogue: every event this run
 * published, handled by every running group that listens to its type.
 */
import type { Catalog } from 'schemabus';
import type { Account } from './account.js';

/** A delivery the demo does not wait for (it is expected to fail). */
export interface ExpectedFailure {
  readonly service: string;
  readonly eventId: string;
}

/**
 * The deliveries still missing, as `service type eventId`: for each event
 * published in this run, each of `groups` that listens to its type on its
 * stream and has not handled it yet (except `failing`).
 */
export function missingDeliveries(
  account: Account,
  catalog: Catalog,
  groups: readonly string[],
  failing: readonly ExpectedFailure[] = [],
): string[] {
  const done = new Set(account.handled.map((h) => `${h.service} ${h.eventId}`));
  const skipped = new Set(failing.map((f) => `${f.service} ${f.eventId}`));
  const missing: string[] = [];
  for (const event of account.published) {
    if (event.stream === undefined) continue;
    const stream = catalog.streams[event.stream];
    for (const service of groups) {
      if (!stream?.groups[service]?.events.includes(event.type)) continue;
      const key = `${service} ${event.eventId}`;
      if (!done.has(key) && !skipped.has(key))
        missing.push(`${service} ${event.type} ${event.eventId}`);
    }
  }
  return missing;
}

/** `items` as a short list for a timeout message. */
export function listed(items: readonly string[], max = 5): string {
  if (items.length === 0) return 'nothing';
  const shown = items.slice(0, max).join('; ');
  return items.length > max ? `${shown}; and ${items.length - max} more` : shown;
}
