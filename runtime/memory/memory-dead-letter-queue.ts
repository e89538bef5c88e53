/** A stream's dead-letter queue in memory: entries kept in id order, deletable one by one. */
import type {
  DeadLetter,
  DeadLetterFilter,
  DeadLetterListOptions,
  DeadLetterQueue,
  Published,
} from '../bus.js';
import { CatalogMismatchError } from '../errors.js';
import {
  type DeadLetterInfo,
  decodeDeadLetter,
  encodeDeadLetter,
  matchesDeadLetterFilter,
} from '../internal/dead-letter-fields.js';
import type { Clock } from './clock.js';
import { compareEntryIds, EntryIdGenerator } from './stream-log.js';

/** Default page size of `list`. @default 100 */
export const DEFAULT_DEAD_LETTER_PAGE = 100;

/** The stored dead letters of one stream. */
export class DeadLetterStore {
  readonly #ids = new EntryIdGenerator();
  /** DLQ entry id -> stored fields, in id order (Map insertion order). */
  readonly #entries = new Map<string, string[]>();

  constructor(
    readonly stream: string,
    readonly clock: Clock,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Stores a dead letter; returns its DLQ entry id. */
  add(info: DeadLetterInfo, original: readonly string[]): string {
    const id = this.#ids.next(this.clock.now());
    this.#entries.set(id, encodeDeadLetter(info, original));
    return id;
  }

  get(id: string): DeadLetter | undefined {
    const fields = this.#entries.get(id);
    return fields === undefined ? undefined : decodeDeadLetter(this.stream, id, fields);
  }

  delete(id: string): boolean {
    return this.#entries.delete(id);
  }

  /** Every dead letter matching `filter`, oldest first. */
  *matching(filter?: DeadLetterFilter): Generator<DeadLetter> {
    for (const [id, fields] of [...this.#entries]) {
      const letter = decodeDeadLetter(this.stream, id, fields);
      if (matchesDeadLetterFilter(letter, filter)) yield letter;
    }
  }
}

/** The `DeadLetterQueue` API over a {@link DeadLetterStore}; replays through `replayLetter`. */
export class MemoryDeadLetterQueue implements DeadLetterQueue {
  constructor(
    readonly store: DeadLetterStore,
    /** Appends a letter's replay fields to the main stream and says what was stored. */
    private readonly replayLetter: (letter: DeadLetter) => Published,
  ) {}

  async list(options: DeadLetterListOptions = {}): Promise<DeadLetter[]> {
    const count = options.count ?? DEFAULT_DEAD_LETTER_PAGE;
    const out: DeadLetter[] = [];
    for (const letter of this.store.matching(options)) {
      if (out.length >= count) break;
      if (options.after !== undefined && compareEntryIds(letter.id, options.after) <= 0) continue;
      out.push(letter);
    }
    return out;
  }

  async count(): Promise<number> {
    return this.store.size;
  }

  async replay(id: string): Promise<Published> {
    const letter = this.store.get(id);
    if (letter === undefined) {
      throw new CatalogMismatchError(
        `no dead letter "${id}" in the DLQ of stream "${this.store.stream}"; list the DLQ for current ids (it may have been replayed or purged already)`,
      );
    }
    return this.#replay(letter);
  }

  async replayAll(filter?: DeadLetterFilter): Promise<number> {
    let n = 0;
    for (const letter of this.store.matching(filter)) {
      this.#replay(letter);
      n++;
    }
    return n;
  }

  async purge(filter?: DeadLetterFilter): Promise<number> {
    let n = 0;
    for (const letter of this.store.matching(filter)) if (this.store.delete(letter.id)) n++;
    return n;
  }

  #replay(letter: DeadLetter): Published {
    const published = this.replayLetter(letter);
    this.store.delete(letter.id);
    return published;
  }
}
