/**
 * The filter of `schemabus dlq` (`--group`, `--type`, `--reason`, `--id`):
 * checked against the stream's catalogue entry, described for messages, and
 * the ids it asked for that matched nothing.
 */
import type { CatalogStream, DeadLetter, DeadLetterFilter, DeadLetterReason } from 'schemabus';
import { type CommandResult, usageError } from '../command.js';
import type { RedisSession } from './redis-session.js';

/** Every reason a dead letter can have. */
export const REASONS: readonly DeadLetterReason[] = [
  'exhausted',
  'non-retryable',
  'invalid',
  'undecodable',
];

/** The filter options as given. */
export interface FilterOptions {
  readonly group?: string | undefined;
  readonly type?: string | undefined;
  readonly reason?: string | undefined;
  /** DLQ entry ids. */
  readonly id?: readonly string[] | undefined;
}

/** The filter of the options, or a usage error naming what the stream has. */
export function filterOf(
  options: FilterOptions,
  stream: CatalogStream,
): DeadLetterFilter | CommandResult {
  const groups = Object.keys(stream.groups);
  if (options.group !== undefined && !groups.includes(options.group)) {
    return usageError(
      `stream ${stream.name} has no group "${options.group}"; its groups: ${groups.join(', ')}`,
    );
  }
  if (options.type !== undefined && !stream.events.includes(options.type)) {
    return usageError(
      `stream ${stream.name} has no event type "${options.type}"; its types: ${stream.events.join(', ')}`,
    );
  }
  if (options.reason !== undefined && !REASONS.includes(options.reason as DeadLetterReason)) {
    return usageError(`--reason must be one of ${REASONS.join(', ')}, got "${options.reason}"`);
  }
  // `--id "$ID"` with an empty $ID must not widen the filter to every dead letter.
  if (
    options.id !== undefined &&
    (options.id.length === 0 || options.id.some((id) => id.trim() === ''))
  ) {
    return usageError(
      '--id needs a dead letter id (--id <id>, repeatable); it was given without one or empty. Leave --id out to work on every dead letter',
    );
  }
  return {
    ...(options.group !== undefined && { group: options.group }),
    ...(options.type !== undefined && { type: options.type }),
    ...(options.reason !== undefined && { reason: options.reason as DeadLetterReason }),
    ...(options.id !== undefined && { ids: options.id }),
  };
}

/** Every dead letter matching `filter`, oldest first. */
export function matching(
  session: RedisSession,
  stream: CatalogStream,
  filter: DeadLetterFilter,
): Promise<DeadLetter[]> {
  return session.bus.dlq(stream.name).list({ ...filter, count: Number.MAX_SAFE_INTEGER });
}

/** Ids asked for with `--id` that matched nothing. */
export function unmatchedIds(filter: DeadLetterFilter, found: readonly DeadLetter[]): string[] {
  const seen = new Set(found.map((l) => l.id));
  return (filter.ids ?? []).filter((id) => !seen.has(id));
}

/** ` matching group g, type t`, or `''` without a filter. */
export function describeFilter(filter: DeadLetterFilter): string {
  const parts = [
    filter.group !== undefined && `group ${filter.group}`,
    filter.type !== undefined && `type ${filter.type}`,
    filter.reason !== undefined && `reason ${filter.reason}`,
    filter.ids !== undefined && `id ${filter.ids.join(', ')}`,
  ].filter(Boolean);
  return parts.length === 0 ? '' : ` matching ${parts.join(', ')}`;
}
