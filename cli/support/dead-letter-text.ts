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
const SHOWN_ATTRIBUTES = ['source', 'time', 'subject', 'correlationid', 'causationid', 'replayfor'];

/** Fields of a stored event that the lines above show; any other is listed as it is. */
const KNOWN_FIELDS = new Set([
  'specversion',
  'id',
  'type',
  'datacontenttype',
  'data',
  ...SHOWN_ATTRIBUTES,
]);

/**
 * One dead letter in full: where it failed, why, and the event as stored,
 * field by field (an entry that could not be decoded, one reason it is in
 * the DLQ, is shown as faithfully as one that could).
 */
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
  for (const name of SHOWN_ATTRIBUTES) {
    const value = fields[name];
    if (value !== undefined) lines.push(`  ${name.padEnd(14)} ${value}`);
  }
  lines.push('  data', ...indent(prettyData(fields.data), '    '));
  for (const name of Object.keys(fields).filter((f) => !KNOWN_FIELDS.has(f))) {
    lines.push(`  field ${name}: ${fields[name]}`);
  }
  return lines;
}

/** The stored data JSON, indented; as it is when it is not JSON. */
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
