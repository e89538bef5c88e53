/**
 * One markdown table line per scenario (and group): what the checker
 * counted. Printed on the console; appended to the file named by
 * `FAULT_TABLE_FILE` when set, so a whole run's table can be collected
 * (`FAULT_TABLE_FILE=/tmp/faults.md npx vitest run tests/faults`).
 */
import { appendFileSync } from 'node:fs';
import type { GroupCounts, RealtimeCounts } from './checker.js';

export const TABLE_HEADER = [
  '| scenario | seed | attempted | acked | not written | unknown (stored) | lost | duplicated | recovered | notes |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
].join('\n');

/** One row of the table. */
export interface ScenarioRow {
  readonly scenario: string;
  readonly seed: number;
  readonly counts: GroupCounts;
  /** What else the scenario measured (faults injected, signals seen, exempt events). */
  readonly notes?: string | undefined;
}

/** The markdown line of `row`. */
export function formatRow({ scenario, seed, counts: c, notes }: ScenarioRow): string {
  const extra = [
    c.unresolved > 0 ? `${c.unresolved} unresolved publishes` : '',
    c.otherFailures > 0 ? `${c.otherFailures} other failures` : '',
    c.notWrittenStored > 0 ? `${c.notWrittenStored} stored behind a failure` : '',
    c.storedTwice > 0 ? `${c.storedTwice} stored twice` : '',
    c.unexpected > 0 ? `${c.unexpected} unexpected` : '',
    notes ?? '',
  ].filter((s) => s !== '');
  const cells = [
    `${scenario} (${c.group})`,
    String(seed),
    String(c.attempted),
    String(c.acknowledged),
    String(c.notWritten),
    `${c.unknown} (${c.unknownStored})`,
    String(c.lost),
    String(c.duplicated),
    String(c.recovered),
    extra.join('; '),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** One row of a realtime scenario: sent and received messages (at-most-once: missing ones are lost). */
export interface RealtimeRow {
  readonly scenario: string;
  readonly seed: number;
  readonly counts: RealtimeCounts;
  readonly notes?: string | undefined;
}

/** The markdown line of a realtime row: lost = messages the subscriber missed. */
export function formatRealtimeRow({ scenario, seed, counts: c, notes }: RealtimeRow): string {
  const largest = Math.max(0, ...c.gaps.map((g) => g.count));
  const extra = [
    `received ${c.received} of ${c.sent}; ${c.gaps.length} gap(s), largest ${largest} messages`,
    notes ?? '',
  ].filter((x) => x !== '');
  const cells = [
    `${scenario} (realtime)`,
    String(seed),
    String(c.sent),
    String(c.sent),
    '-',
    '-',
    String(c.missing),
    '-',
    '-',
    extra.join('; '),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** Prints `row` (and appends it to `FAULT_TABLE_FILE` when set). */
export function printRow(row: ScenarioRow): void {
  print(formatRow(row));
}

/** Prints a realtime row likewise. */
export function printRealtimeRow(row: RealtimeRow): void {
  print(formatRealtimeRow(row));
}

function print(line: string): void {
  console.log(`${TABLE_HEADER}\n${line}`);
  const file = process.env.FAULT_TABLE_FILE;
  if (file) appendFileSync(file, `${line}\n`);
}
