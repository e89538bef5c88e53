/**
 * What `schemabus inspect` makes of `bus.inspect()`: the catalogue's groups
 * missing on Redis, the findings that need a look, and the table (with
 * rates between two inspections under `--watch`).
 */
import type { BusInspection, Catalog, GroupInspection, StreamInspection } from 'schemabus';
import type { InspectionRates } from './inspection-rates.js';
import { formatDuration, formatTable, plural } from './table.js';

/** One stream as `inspect` reports it: what Redis says plus the catalogue's groups missing there. */
export interface StreamReport extends StreamInspection {
  readonly missingGroups: readonly string[];
}

/** Something that needs a look, and what to do about it. */
export interface InspectFinding {
  readonly stream: string;
  readonly group?: string;
  readonly message: string;
}

/** The streams of `inspection` with the groups the catalogue lists and Redis lacks. */
export function withMissingGroups(catalog: Catalog, inspection: BusInspection): StreamReport[] {
  return inspection.streams.map((stream) => {
    const present = new Set(stream.groups.map((g) => g.name));
    const expected = Object.keys(catalog.streams[stream.name]?.groups ?? {});
    return { ...stream, missingGroups: expected.filter((g) => !present.has(g)).sort() };
  });
}

/**
 * A consumer idle this long, or its group's `claimIdleMs` when that is
 * longer, is taken for stopped: a running one reads every `blockMs` (2 s
 * by default) and so is never idle much longer than that.
 */
export const STOPPED_AFTER_MS = 30_000;

/**
 * Dead letters, missing groups, groups lagging past retention, and
 * entries left pending on stopped consumers that no running consumer will
 * claim: no consumer of the group has read lately (none runs, or a circuit
 * breaker pauses them), or, on a partition, none holds it.
 */
export function findingsOf(streams: readonly StreamReport[], catalog: Catalog): InspectFinding[] {
  const findings: InspectFinding[] = [];
  for (const stream of streams) {
    if (stream.dlqLength > 0) {
      findings.push({
        stream: stream.name,
        message: `${plural(stream.dlqLength, 'dead letter')} in ${stream.name}: see \`schemabus dlq list ${stream.name}\``,
      });
    }
    for (const group of stream.missingGroups) {
      findings.push({
        stream: stream.name,
        group,
        message: `group ${group} of ${stream.name} does not exist on Redis: run \`schemabus bootstrap\``,
      });
    }
    for (const group of stream.groups.filter((g) => g.laggingPastRetention)) {
      findings.push({
        stream: stream.name,
        group: group.name,
        message: `group ${group.name} holds ${stream.name} past its retention (unacked or unread entries): start or fix its consumers, or delete the group if it is gone for good`,
      });
    }
    findings.push(...strandedFindings(stream, catalog));
  }
  return findings;
}

/** Entries pending on stopped consumers of `stream` that nothing running will claim. */
function strandedFindings(stream: StreamReport, catalog: Catalog): InspectFinding[] {
  const findings: InspectFinding[] = [];
  const stoppedAfter = (group: string) =>
    Math.max(STOPPED_AFTER_MS, catalog.streams[stream.name]?.groups[group]?.claimIdleMs ?? 0);
  const report = (group: GroupInspection, where: string, why: string) => {
    const limit = stoppedAfter(group.name);
    const stranded = group.consumers.filter((c) => c.pending > 0 && c.idleMs > limit);
    if (stranded.length === 0) return;
    const entries = stranded.reduce((sum, c) => sum + c.pending, 0);
    const owners = stranded.map((c) => `${c.name} (idle ${formatDuration(c.idleMs)})`).join(', ');
    findings.push({
      stream: stream.name,
      group: group.name,
      message: `${plural(entries, 'entry', 'entries')} of ${where} wait on stopped consumer${stranded.length > 1 ? 's' : ''} ${owners} and ${why}: start a consumer of group ${group.name}; it takes them over`,
    });
  };
  if (stream.partitions === undefined) {
    for (const group of stream.groups) {
      const running = group.consumers.some((c) => c.idleMs <= stoppedAfter(group.name));
      if (!running) {
        const quiet = formatDuration(stoppedAfter(group.name));
        report(
          group,
          `${stream.name} (group ${group.name})`,
          `no consumer of the group has read for ${quiet} (none runs, or the running ones are paused by their circuit breaker)`,
        );
      }
    }
    return findings;
  }
  for (const partition of stream.partitions) {
    for (const group of partition.groups) {
      if (group.reader === null) {
        report(
          group,
          `${stream.name} partition p${partition.index} (group ${group.name})`,
          'no consumer holds the partition',
        );
      }
    }
  }
  return findings;
}

/** The summary under the table. */
export function findingLines(findings: readonly InspectFinding[]): string[] {
  return findings.length === 0
    ? ['nothing needs a look']
    : [`${plural(findings.length, 'finding')}:`, ...findings.map((f) => `  - ${f.message}`)];
}

/** `12.5`, `340`: a rate for the table; `-` before there is one, `?` when it cannot be told. */
function rateCell(rate: number | null | undefined): string {
  if (rate === undefined) return '-';
  if (rate === null) return '?';
  return rate < 100 ? String(Math.round(rate * 10) / 10) : String(Math.round(rate));
}

/**
 * One row per group (the stream's cells on its first), one per consumer
 * below it with its pending entries and idle time; a partitioned stream's
 * rows are its totals, followed by one row per partition and group (`p0`,
 * `p1`...). With `rates` (under
 * `--watch`; null on the first redraw) two more columns: entries added per
 * second to the stream, entries acked per second by the group.
 */
export function inspectionTable(
  streams: readonly StreamReport[],
  rates?: InspectionRates | null,
): string[] {
  const watching = rates !== undefined;
  const r = rates ?? undefined;
  const columns = [
    { header: 'STREAM' },
    { header: 'LENGTH', right: true },
    ...(watching ? [{ header: 'IN/S', right: true }] : []),
    { header: 'DLQ', right: true },
    { header: 'GROUP' },
    { header: 'CONSUMERS', right: true },
    { header: 'PENDING', right: true },
    { header: 'OLDEST', right: true },
    { header: 'LAG', right: true },
    ...(watching ? [{ header: 'ACK/S', right: true }] : []),
    { header: 'RETENTION' },
  ];
  const rows: string[][] = [];
  for (const stream of streams) {
    const head = [
      stream.name,
      String(stream.length),
      ...(watching ? [rateCell(r?.added(stream.name))] : []),
      String(stream.dlqLength),
    ];
    const blank = head.map(() => '');
    let first = true;
    const next = () => {
      const cells = first ? head : blank;
      first = false;
      return cells;
    };
    for (const group of stream.groups) {
      const acked = watching ? [rateCell(r?.acked(stream.name, group.name))] : [];
      rows.push([...next(), ...groupCells(group, acked)]);
      for (const consumer of group.consumers) {
        const idle = `idle ${formatDuration(consumer.idleMs)}`;
        const pad = watching ? [''] : [];
        rows.push([
          ...blank,
          `  ${consumer.name}`,
          '',
          String(consumer.pending),
          '',
          '',
          ...pad,
          idle,
        ]);
      }
    }
    for (const group of stream.missingGroups) {
      const pad = watching ? ['-'] : [];
      rows.push([...next(), group, '-', '-', '-', '-', ...pad, 'missing: run schemabus bootstrap']);
    }
    if (first) rows.push([...head, '(no groups)']);
    // A partitioned stream: its totals above, then each partition's own figures.
    for (const partition of stream.partitions ?? []) {
      const cells = [
        `  p${partition.index}`,
        String(partition.length),
        ...(watching ? [''] : []),
        String(partition.dlqLength),
      ];
      if (partition.groups.length === 0) rows.push([...cells, '(no groups)']);
      for (const group of partition.groups) {
        rows.push([...cells, ...groupCells(group, watching ? [''] : [])]);
      }
    }
  }
  return formatTable(columns, rows);
}

function groupCells(group: GroupInspection, acked: readonly string[]): string[] {
  return [
    group.name,
    String(group.consumers.length),
    String(group.pending),
    group.oldestPendingAgeMs === null ? '-' : formatDuration(group.oldestPendingAgeMs),
    group.lag === null ? '?' : String(group.lag),
    ...acked,
    group.laggingPastRetention ? 'LAGGING past retention' : 'ok',
  ];
}
