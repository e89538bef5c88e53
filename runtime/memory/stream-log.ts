/** An append-only, front-trimmed log of stream entries with Redis-style ids. */
import type { Envelope } from '../bus.js';
import { encodeEnvelope } from '../internal/entry-codec.js';
import { fieldValue } from '../internal/entry-fields.js';

let prefixMs = -1;
let prefix = '';

/** `<ms>-`, made once per millisecond: most ids made in a row share it. */
function idPrefix(ms: number): string {
  if (ms !== prefixMs) {
    prefixMs = ms;
    prefix = `${ms}-`;
  }
  return prefix;
}

/**
 * One stored entry. It keeps the two numbers of its id rather than the id
 * string: an entry lives as long as retention keeps it, and with thousands
 * retained, every object an entry holds is copied by the garbage collector
 * as it ages (fewer objects per entry measurably raised the bus's rate).
 */
export class LogEntry {
  #fields: readonly string[] | undefined;

  constructor(
    /** Absolute position in the log (0 = first entry ever appended); never reused. */
    readonly pos: number,
    /** The id's milliseconds part. */
    readonly ms: number,
    /** The id's sequence part. */
    readonly seq: number,
    fields: readonly string[] | undefined,
    /**
     * The envelope as this bus's publish built it, after strict validation
     * against the catalogue, its data a frozen copy (memory/frozen-data.ts):
     * delivered as it is, with no decoding and no consume-side check (the
     * strict pass implies the tolerant one). Undefined for entries stored
     * as fields (appendRaw, DLQ replays), which are decoded and checked.
     */
    readonly envelope: Envelope | undefined = undefined,
  ) {
    this.#fields = fields;
  }

  /** `<ms>-<seq>`, increasing; made on each use (see the class comment). */
  get id(): string {
    return idPrefix(this.ms) + this.seq;
  }

  /** The fields as stored (flat name/value list); encoded on first use for a published envelope. */
  get fields(): readonly string[] {
    this.#fields ??= encodeEnvelope(this.envelope!);
    return this.#fields;
  }

  /** The event type, `''` when the entry has none. */
  get type(): string {
    if (this.envelope !== undefined) return this.envelope.type;
    return fieldValue(this.fields, 'type') ?? '';
  }
}

/** Makes increasing `<ms>-<seq>` ids from a clock reading, as Redis's XADD `*` does. */
export class EntryIdGenerator {
  #lastMs = -1;
  #seq = 0;

  /** Milliseconds part of the last id made. */
  get ms(): number {
    return this.#lastMs;
  }

  /** Sequence part of the last id made. */
  get seq(): number {
    return this.#seq;
  }

  /** The next id for time `now` (never smaller than the previous one); its parts are then {@link ms} and {@link seq}. */
  next(now: number): string {
    this.advance(now);
    return `${this.#lastMs}-${this.#seq}`;
  }

  /** Moves to the next id for time `now` without making its string. */
  advance(now: number): void {
    if (now > this.#lastMs) {
      this.#lastMs = now;
      this.#seq = 0;
    } else {
      this.#seq++;
    }
  }
}

/** Compares two `<ms>-<seq>` ids numerically. */
export function compareEntryIds(a: string, b: string): number {
  const [am = '0', as = '0'] = a.split('-');
  const [bm = '0', bs = '0'] = b.split('-');
  return Number(am) - Number(bm) || Number(as) - Number(bs);
}

/** The entries of one stream. */
export class StreamLog {
  readonly #ids = new EntryIdGenerator();
  #entries: LogEntry[] = [];
  /** Index in `#entries` of the first live entry. */
  #head = 0;
  /** Position the next appended entry gets. */
  #endPos = 0;

  /** Entries stored. */
  get length(): number {
    return this.#entries.length - this.#head;
  }

  /** Position of the first live entry (== endPos when empty). */
  get startPos(): number {
    return this.#endPos - this.length;
  }

  /** Position the next appended entry gets. */
  get endPos(): number {
    return this.#endPos;
  }

  get first(): LogEntry | undefined {
    return this.#entries[this.#head];
  }

  get last(): LogEntry | undefined {
    return this.length > 0 ? this.#entries[this.#entries.length - 1] : undefined;
  }

  /** The entry at absolute position `pos`, if still stored. */
  at(pos: number): LogEntry | undefined {
    if (pos < this.startPos || pos >= this.#endPos) return undefined;
    return this.#entries[this.#head + (pos - this.startPos)];
  }

  /**
   * Appends an entry stamped with time `now`: `fields`, or a validated
   * `envelope` (its fields, when known already, may be given too).
   */
  append(fields: readonly string[] | undefined, now: number, envelope?: Envelope): LogEntry {
    this.#ids.advance(now);
    const entry = new LogEntry(this.#endPos++, this.#ids.ms, this.#ids.seq, fields, envelope);
    this.#entries.push(entry);
    return entry;
  }

  /** Position of the first entry with `ms >= minMs` (endPos when none). */
  firstPosAtOrAfter(minMs: number): number {
    let lo = this.#head;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#entries[mid]!.ms < minMs) lo = mid + 1;
      else hi = mid;
    }
    return this.startPos + (lo - this.#head);
  }

  /** Deletes every entry before position `pos`; returns how many. */
  trimBefore(pos: number): number {
    const drop = Math.min(this.length, pos - this.startPos);
    if (drop <= 0) return 0;
    this.#head += drop;
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    return drop;
  }
}
