/**
 * "Did you mean ...?" hints: the closest known name to a misspelt one.
 */

/**
 * Edit distance between two strings: insertions, deletions, substitutions
 * and swaps of two adjacent characters (`retyr` -> `retry` is 1), each
 * counting 1 (Levenshtein with transpositions, optimal string alignment).
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate closest to `name`, when it is close enough to be a typo:
 * at most 2 edits and at most a third of the name's length (at least 1).
 * Ties go to the alphabetically first candidate.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.min(2, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of [...new Set(candidates)].sort()) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Renders names as a sorted, backquoted list: `` `a`, `b` ``. */
export function listNames(names: Iterable<string>): string {
  return [...new Set(names)]
    .sort()
    .map((n) => `\`${n}\``)
    .join(', ');
}

/**
 * A hint for an unknown name: "did you mean `x`?" when one is close, else
 * "<what>: `a`, `b`" listing the candidates, else `none` when there are none.
 */
export function suggest(
  name: string,
  candidates: Iterable<string>,
  what: string,
  none?: string,
): string | undefined {
  const all = [...candidates];
  const near = closest(name, all);
  if (near !== undefined) return `did you mean \`${near}\`?`;
  if (all.length === 0) return none;
  return `${what}: ${listNames(all)}`;
}
