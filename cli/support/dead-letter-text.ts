/** Dead letters as text: a table row each for `dlq list`, a block each for `dlq show`. */
import { type DeadLetter, ENVELOPE_FIELDS } from 'schemabus';
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

/** One dead letter in full: where it failed, why, and the event as stored. */
export function formatDeadLetter(letter: DeadLetter): string[] {
  const { fields } = letter;
  const lines = [
    `dead letter ${letter.id} of stream ${letter.stream}`,
    `  group          ${letter.group}`,
    `  event          ${letter.type ?? '(no type)'} ${fields.id ?? '(no id)'}, entry ${letter.entryId}`,
    `  reason         ${letter.reason} after ${letter.attempts} attempt(s)`,
    `  first failure  ${letter.firstFailureAt}`,
    `  last failure   ${letter.lastFailureAt}`,
    `  error          ${letter.error}`,
  ];
  for (const name of ['source', 'time', 'subject', 'correlationid', 'causationid', 'replayfor']) {
    const value = fields[name];
    if (value !== undefined) lines.push(`  ${name.padEnd(14)} ${value}`);
  }
  lines.push('  data', ...indent(prettyData(fields.data), '    '));
  const others = Object.keys(fields).filter((f) => !KNOWN_FIELDS.has(f));
  for (const name of others) lines.push(`  field ${name}: ${fields[name]}`);
  return lines;
}

const KNOWN_FIELDS = new Set(ENVELOPE_FIELDS);

function prettyData(data: string | undefined): string {
  if (data === undefined) return '(no data field)';
  try {
    return JSON.stringify(JSON.parse(data), null, 2);
  } catch {
    return `${data} (not JSON)`;
  }
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}
