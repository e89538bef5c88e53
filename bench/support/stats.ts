/** Order statistics over samples; the bench reports medians, never means. */

/** The q-quantile (0..1) of `values`, nearest-rank on a sorted copy; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return quantileSorted(sorted, q);
}

/** The q-quantile of an already ascending array (nearest rank). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function min(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

/** p50/p95/p99/max of latencies in ms, from a recorder that may hold more slots than samples. */
export function latencySummary(latencies: Float64Array, count: number): Record<string, number> {
  const sorted = latencies.subarray(0, count).sort();
  return {
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    max: count > 0 ? (sorted[count - 1] as number) : Number.NaN,
    received: count,
  };
}

/** Events per second from a count and a `performance.now()` start. */
export function ratePerSecond(count: number, startedAt: number, endedAt: number): number {
  return (count * 1000) / (endedAt - startedAt);
}
