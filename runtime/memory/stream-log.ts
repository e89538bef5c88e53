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
 * One entry of a {@link StreamLog}, as handed out by it: a snapshot of what
 * the log stores at its position, made on each `at`/`append` and kept only
 * as long as its user keeps it (a pending delivery, say). The log itself
 * keeps no object per entry besides the stored envelope (or fields): with a
 * retention of thousands of entries, every object an entry holds is copied
 * by the garbage collector as it ages.
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
    /** The log, told the encoded fields once they are made (so they are made once). */
    private readonly log: StreamLog | undefined = undefined,
  ) {
    this.#fields = fields;
  }

  /** `<ms>-<seq>`, increasing; made on each use (see the class comment). */
  get id(): string {
    return idPrefix(this.ms) + this.seq;
  }

  /** The fields as stored (flat name/value list); encoded on first use for a published envelope. */
  get fields(): readonly string[] {
    if (this.#fields === undefined) {
      this.#fields = encodeEnvelope(this.envelope!);
      this.log?.keepFields(this.pos, this.envelope!, this.#fields);
    }
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

/** Slots of a new log (a power of two; doubled when full). */
const INITIAL_CAPACITY = 1024;

/**
 * The entries of one stream: a ring buffer of the stored envelopes (or
 * fields) with the two numbers of each id in typed arrays, so a retained
 * entry costs the garbage collector nothing beyond what it stores.
 */
export class StreamLog {
  readonly #ids = new EntryIdGenerator();
  #envelopes: (Envelope | undefined)[] = new Array(INITIAL_CAPACITY).fill(undefined);
  #fields: (readonly string[] | undefined)[] = new Array(INITIAL_CAPACITY).fill(undefined);
  #ms = new Float64Array(INITIAL_CAPACITY);
  #seq = new Float64Array(INITIAL_CAPACITY);
  /** Capacity - 1: a position's slot is `pos & #mask`. */
  #mask = INITIAL_CAPACITY - 1;
  /** Position of the first live entry. */
  #startPos = 0;
  /** Position the next appended entry gets. */
  #endPos = 0;

  /** Entries stored. */
  get length(): number {
    return this.#endPos - this.#startPos;
  }

  /** Position of the first live entry (== endPos when empty). */
  get startPos(): number {
    return this.#startPos;
  }

  /** Position the next appended entry gets. */
  get endPos(): number {
    return this.#endPos;
  }

  get first(): LogEntry | undefined {
    return this.at(this.#startPos);
  }

  get last(): LogEntry | undefined {
    return this.at(this.#endPos - 1);
  }

  /** The entry at absolute position `pos`, if still stored. */
  at(pos: number): LogEntry | undefined {
    if (pos < this.#startPos || pos >= this.#endPos) return undefined;
    const slot = pos & this.#mask;
    return new LogEntry(
      pos,
      this.#ms[slot]!,
      this.#seq[slot]!,
      this.#fields[slot],
      this.#envelopes[slot],
      this,
    );
  }

  /**
   * Appends an entry stamped with time `now`: `fields`, or a validated
   * `envelope` (its fields, when known already, may be given too).
   */
  append(fields: readonly string[] | undefined, now: number, envelope?: Envelope): LogEntry {
    this.#ids.advance(now);
    if (this.length > this.#mask) this.#resize(2 * (this.#mask + 1));
    const pos = this.#endPos++;
    const slot = pos & this.#mask;
    this.#envelopes[slot] = envelope;
    this.#fields[slot] = fields;
    this.#ms[slot] = this.#ids.ms;
    this.#seq[slot] = this.#ids.seq;
    return new LogEntry(pos, this.#ids.ms, this.#ids.seq, fields, envelope, this);
  }

  /** Stores the encoded fields of the entry at `pos` (if it is still the one holding `envelope`). */
  keepFields(pos: number, envelope: Envelope, fields: readonly string[]): void {
    if (pos < this.#startPos || pos >= this.#endPos) return;
    const slot = pos & this.#mask;
    if (this.#envelopes[slot] === envelope) this.#fields[slot] = fields;
  }

  /** Position of the first entry with `ms >= minMs` (endPos when none). */
  firstPosAtOrAfter(minMs: number): number {
    let lo = this.#startPos;
    let hi = this.#endPos;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.#ms[mid & this.#mask]! < minMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Deletes every entry before position `pos`; returns how many. */
  trimBefore(pos: number): number {
    const drop = Math.min(this.length, pos - this.#startPos);
    if (drop <= 0) return 0;
    for (let p = this.#startPos; p < this.#startPos + drop; p++) {
      const slot = p & this.#mask;
      this.#envelopes[slot] = undefined;
      this.#fields[slot] = undefined;
    }
    this.#startPos += drop;
    const capacity = this.#mask + 1;
    // Give back the room of a burst once the log is down to a quarter of it.
    if (capacity > INITIAL_CAPACITY && this.length * 4 < capacity) this.#resize(capacity / 2);
    return drop;
  }

  /** Moves the entries to `capacity` slots (a power of two above the length), each at its position. */
  #resize(capacity: number): void {
    const mask = capacity - 1;
    const envelopes: (Envelope | undefined)[] = new Array(capacity).fill(undefined);
    const fields: (readonly string[] | undefined)[] = new Array(capacity).fill(undefined);
    const ms = new Float64Array(capacity);
    const seq = new Float64Array(capacity);
    for (let p = this.#startPos; p < this.#endPos; p++) {
      const from = p & this.#mask;
      const to = p & mask;
      envelopes[to] = this.#envelopes[from];
      fields[to] = this.#fields[from];
      ms[to] = this.#ms[from]!;
      seq[to] = this.#seq[from]!;
    }
    this.#envelopes = envelopes;
    this.#fields = fields;
    this.#ms = ms;
    this.#seq = seq;
    this.#mask = mask;
  }
}
