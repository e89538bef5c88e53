/** The table of medians (min, max) and the ratio checks, as text and as JSON. */
import type { CaseOutcome } from './runner.js';
import { max, median, min } from './stats.js';
import type { Check } from './types.js';

export interface CheckResult {
  readonly label: string;
  /** The ratio of two medians, or the median itself for an absolute bound. */
  readonly value: number;
  readonly target?: string;
  /** `true` met, `false` missed, `null` not measurable (a side is missing). */
  readonly met: boolean | null;
}

export interface Row {
  readonly key: string;
  readonly caseName: string;
  readonly variant: string;
  readonly metric: string;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export function rowsOf(outcomes: readonly CaseOutcome[]): Row[] {
  return outcomes.flatMap((o) =>
    o.series
      .filter((s) => s.samples.length > 0)
      .map((s) => ({
        key: s.key,
        caseName: s.caseName,
        variant: s.variant,
        metric: s.metric.name,
        unit: s.metric.unit,
        better: s.metric.better,
        n: s.samples.length,
        median: median(s.samples),
        min: min(s.samples),
        max: max(s.samples),
        samples: s.samples,
      })),
  );
}

export function evaluateChecks(checks: readonly Check[], rows: readonly Row[]): CheckResult[] {
  const medians = new Map(rows.map((r) => [r.key, r.median]));
  return checks.map((check) => {
    const top = medians.get(check.value);
    const bottom = check.over === undefined ? 1 : medians.get(check.over);
    const value = top === undefined || bottom === undefined ? Number.NaN : top / bottom;
    const target = check.target && `${check.target.op} ${check.target.bound}`;
    let met: boolean | null = null;
    if (check.target && Number.isFinite(value)) {
      met = check.target.op === '>=' ? value >= check.target.bound : value <= check.target.bound;
    }
    return { label: check.label, value, ...(target ? { target } : {}), met };
  });
}

/** A number for the table: thousands separated for rates, 3 decimals for small values. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function table(
  header: readonly string[],
  body: readonly (readonly string[])[],
  right: number,
): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells
      .map((cell, i) => (i >= right ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i >= right ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** Markdown tables: every measured series, then every check with its target. */
export function renderReport(
  outcomes: readonly CaseOutcome[],
  rows: readonly Row[],
  checks: readonly CheckResult[],
): string {
  const body = rows.map((r) => [
    r.caseName,
    r.variant,
    `${r.metric} (${r.unit}${r.better === 'higher' ? ', ↑' : ', ↓'})`,
    formatNumber(r.median),
    formatNumber(r.min),
    formatNumber(r.max),
    String(r.n),
  ]);
  const parts = [table(['case', 'variant', 'metric', 'median', 'min', 'max', 'n'], body, 3)];
  parts.push(
    table(
      ['ratio / value (medians)', 'value', 'target', ''],
      checks.map((c) => [
        c.label,
        formatNumber(c.value),
        c.target ?? '',
        c.met === null ? (c.target ? 'n/a' : '') : c.met ? 'met' : 'MISSED',
      ]),
      1,
    ),
  );
  const notes = outcomes.flatMap((o) => [
    ...(o.note ? [`- ${o.caseName}: ${o.note}`] : []),
    ...o.skipped.map((s) => `- ${o.caseName}/${s.variant} skipped: ${s.reason}`),
    ...o.errors.map((e) => `- ${o.caseName}/${e.variant} FAILED: ${e.error.split('\n')[0]}`),
  ]);
  if (notes.length > 0) parts.push(notes.join('\n'));
  return parts.join('\n\n');
}
