/**
 * A group's pending entries in first-delivery order (= stream order): added
 * at the end, removed anywhere (ack), the oldest at hand. An array with holes
 * and a head index rather than a Map: no hash table grown, shrunk and
 * rehashed as entries come and go at the publish rate. Each entry keeps its
 * index (`slot`); the array is compacted once holes make up most of it.
 */

/** What the list keeps: anything with a mutable `slot`, its index here. */
export interface Slotted {
  slot: number;
}

/** Fewest slots before holes are compacted away. */
const MIN_COMPACT = 1024;

/** Pending entries of one group, oldest first. */
export class PendingList<T extends Slotted> implements Iterable<T> {
  #slots: (T | undefined)[] = [];
  /** Index of the oldest entry (or the end when empty). */
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The oldest entry. */
  first(): T | undefined {
    return this.#slots[this.#head];
  }

  /** Appends `entry`, newer than every entry in the list. */
  add(entry: T): void {
    entry.slot = this.#slots.length;
    this.#slots.push(entry);
    this.#size++;
  }

  has(entry: T): boolean {
    return this.#slots[entry.slot] === entry;
  }

  /** Removes `entry`; false when it was not in the list. */
  delete(entry: T): boolean {
    const slots = this.#slots;
    const at = entry.slot;
    if (slots[at] !== entry) return false;
    slots[at] = undefined;
    this.#size--;
    if (at === this.#head) {
      let head = at + 1;
      while (head < slots.length && slots[head] === undefined) head++;
      this.#head = head;
    }
    const span = slots.length - this.#head;
    if (slots.length > MIN_COMPACT && (this.#head * 2 > slots.length || this.#size * 2 < span)) {
      this.#compact();
    }
    return true;
  }

  *[Symbol.iterator](): Iterator<T> {
    const slots = this.#slots;
    for (let i = this.#head; i < slots.length; i++) {
      const entry = slots[i];
      if (entry !== undefined) yield entry;
    }
  }

  #compact(): void {
    const live: T[] = [];
    for (const entry of this) {
      entry.slot = live.length;
      live.push(entry);
    }
    this.#slots = live;
    this.#head = 0;
  }
}
