/** Dead letters as text: a table row each for `dlq list`, a block each for `dlq show`. */
import { type DeadLetter, decodeEntry, type Envelope } from 'schemabus';
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

/** The envelope attributes shown besides type, id and data, in this order. */
const SHOWN_ATTRIBUTES = [
  'source',
  'time',
  'subject',
  'correlationid',
  'causationid',
  'replayfor',
] as const satisfies readonly (keyof Envelope)[];

/**
 * One dead letter in full: where it failed, why, and the event as stored
 * (decoded; an entry that does not decode, one reason an entry ends in the
 * DLQ, is shown field by field).
 */
export function formatDeadLetter(letter: DeadLetter): string[] {
  const decoded = decodeEntry(letter.fields);
  const envelope = decoded.ok ? decoded.envelope : undefined;
  const lines = [
    `dead letter ${letter.id} of stream ${letter.stream}`,
    `  group          ${letter.group}`,
    `  event          ${letter.type ?? '(no type)'} ${envelope?.id ?? letter.fields.id ?? '(no id)'}, entry ${letter.entryId}`,
    `  reason         ${letter.reason} after ${letter.attempts} attempt(s)`,
    `  first failure  ${letter.firstFailureAt}`,
    `  last failure   ${letter.lastFailureAt}`,
    `  error          ${letter.error}`,
  ];
  if (envelope === undefined) {
    if (!decoded.ok) lines.push(`  undecodable    ${decoded.reason}`);
    for (const [name, value] of Object.entries(letter.fields)) {
      lines.push(`  field ${name}: ${value}`);
    }
    return lines;
  }
  for (const name of SHOWN_ATTRIBUTES) {
    const value = envelope[name];
    if (value !== undefined) lines.push(`  ${name.padEnd(14)} ${value}`);
  }
  lines.push('  data', ...indent(JSON.stringify(envelope.data, null, 2), '    '));
  for (const [name, value] of Object.entries(letter.fields)) {
    if (!(name in envelope)) lines.push(`  field ${name}: ${value}`);
  }
  return lines;
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((line) => `${prefix}${line}`);
}
