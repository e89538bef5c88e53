/**
 * TSDoc text shared by the emitters: what an event is and where it travels.
 */
import type { ModelEvent } from '../catalog/model.js';

/** `` `campaign.created` on stream `campaign-events`, realtime on channel `campaign-status` ``. */
export function eventRoute(event: ModelEvent): string {
  const routes: string[] = [];
  if (event.stream !== undefined) routes.push(`stored on stream \`${event.stream}\``);
  if (event.channel !== undefined) routes.push(`sent on realtime channel \`${event.channel}\``);
  return `\`${event.type}\`: ${routes.join(', ')}.`;
}

/** The event's description as a sentence, then its route. */
export function eventDoc(event: ModelEvent): string[] {
  return event.description === undefined
    ? [eventRoute(event)]
    : [sentence(event.description), eventRoute(event)];
}

/** `text` with a final period unless it already ends a sentence. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?:]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** `` `a`, `b` and `c` `` */
export function codeList(names: readonly string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/**
 * The `docs` of a ts-morph structure: one TSDoc comment holding `paragraphs`
 * separated by a blank line (none when there are none). Every line break of
 * the text (`\r\n`, `\r`, U+2028, U+2029) becomes a line of the comment, and
 * a `*\/` is escaped so it cannot end the comment.
 */
export function tsDoc(...paragraphs: readonly string[]): string[] {
  if (paragraphs.length === 0) return [];
  const text = paragraphs.join('\n\n').replace(/\r\n?|[\u2028\u2029]/g, '\n');
  return [text.replace(/\*\//g, '*\\/')];
}
