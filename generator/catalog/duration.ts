/**
 * Durations as the catalogue writes them: `500ms`, `90s`, `30m`, `24h`, `7d`.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const DURATION = /^([1-9][0-9]*)(ms|s|m|h|d)$/;

/** How a valid duration is written, for hints. */
export const DURATION_EXAMPLES = '`500ms`, `90s`, `30m`, `24h` or `7d`';

/**
 * Milliseconds of a duration: a positive integer and one unit among
 * `ms`, `s`, `m`, `h`, `d`, no space. `undefined` when `text` is not one.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : undefined;
}
