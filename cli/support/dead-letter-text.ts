/** Dead letters as text: a table row each for `dlq list`, a block each for `dlq show`. */
import type { DeadLetter } from 'schemabus';
import { formatTable, truncate } from './table.js';

/** Widest error shown in the table. */
const ERROR_WIDTH = 60;

const COLUMNS = [
  { header: 'DLQ ID' },
  { header: 'GROUP' },
  { header: 'TYPE' },
  { header: 'REASON' },
  { header: 'ATTEMPTS', right: true },
  { header: 'LAST FAILURE' },
  { header: 'ERROR' },
];

/** One row per dead letter. */
export function formatDeadLetterTable(letters: readonly DeadLetter[]): string[] {
  return formatTable(
    COLUMNS,
    letters.map((l) => [
      l.id,
      l.group,
      l.type ?? '-',
      l.reason,
      String(l.attempts),
      l.lastFailureAt,
      truncate(l.error, ERROR_WIDTH),
    ]),
  );
}

/** The attributes shown on lines of their own, in this order (type, id and data have theirs). */
const SHOWN_ATTRIBUTES = [
  'source',
  'time',
  'subject',
  'correlationid',
  'causationid',
  'traceparent',
  'replayfor',
] as const;

/**
 * One dead letter in full: where it failed, why, and the event: decoded
 * when it can be, else its stored fields one by one (an entry that could not
 * be decoded, one reason it is in the DLQ, is shown as faithfully as one
 * that could).
 */
export function formatDeadLetter(letter: DeadLetter): string[] {
  const { event, fields } = letter;
  const lines = [
    `dead letter ${letter.id} of stream ${letter.stream}`,
    `  group          ${letter.group}`,
    `  event          ${letter.type ?? '(no type)'} ${event?.id ?? '(undecodable)'}, entry ${letter.entryId}`,
    `  reason         ${letter.reason} after ${letter.attempts} attempt(s)`,
    `  first failure  ${letter.firstFailureAt}`,
    `  last failure   ${letter.lastFailureAt}`,
    `  error          ${letter.error}`,
  ];
  if (event === undefined) {
    lines.push('  stored fields');
    for (const name of Object.keys(fields)) lines.push(`    ${name}: ${fields[name]}`);
    return lines;
  }
  for (const name of SHOWN_ATTRIBUTES) {
    const value = event[name];
    if (value !== undefined && value !== '') lines.push(`  ${name.padEnd(14)} ${value}`);
  }
  lines.push('  data', ...indent(JSON.stringify(event.data, null, 2) ?? 'null', '    '));
  return lines;
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}
