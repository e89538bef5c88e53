/**
 * One markdown table line per scenario (and group): what the checker
 * counted. Printed on the console; appended to the file named by
 * `FAULT_TABLE_FILE` when set, so a whole run's table can be collected
 * (`FAULT_TABLE_FILE=/tmp/faults.md npx vitest run tests/faults`).
 */
import { appendFileSync } from 'node:fs';
import type { GroupCounts } from './checker.js';

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

/** Prints `row` (and appends it to `FAULT_TABLE_FILE` when set). */
export function printRow(row: ScenarioRow): void {
  const line = formatRow(row);
  console.log(`${TABLE_HEADER}\n${line}`);
  const file = process.env.FAULT_TABLE_FILE;
  if (file) appendFileSync(file, `${line}\n`);
}
