/** Reading stored stream entries in tests, through the runtime's own decoder. */
import type { Envelope } from '../../runtime/bus.js';
import { decodeEntry } from '../../runtime/internal/entry-codec.js';

/** The envelope of a stored entry; throws when it cannot be decoded. */
export function envelopeOfEntry(fields: readonly string[]): Envelope {
  const decoded = decodeEntry(fields);
  if (!decoded.ok) throw new Error(`undecodable entry: ${decoded.reason}`);
  return decoded.envelope;
}

/** The event id of a stored entry. */
export function eventIdOf(fields: readonly string[]): string {
  return envelopeOfEntry(fields).id;
}
