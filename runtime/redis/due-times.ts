/**
 * When the retries of entries that failed in this consumer are due. An entry
 * in here was handed to a handler (or to the DLQ script) and left pending:
 * the claim scan brings it back with one delivery more once its backoff
 * elapsed, so the re-read of the own pending list must leave it alone.
 */

/** Due times by entry id, oldest insertion first; bounded, with amortised O(1) eviction. */
export class DueTimes {
  private readonly due = new Map<string, number>();

  /**
   * @param staleAfterMs a due time this far in the past is forgotten: the entry
   *   was retried by another consumer and never comes back here.
   * @param cap most ids kept; beyond it the oldest go first.
   */
  constructor(
    private readonly staleAfterMs: number,
    private readonly cap = 10_000,
  ) {}

  get size(): number {
    return this.due.size;
  }

  has(id: string): boolean {
    return this.due.has(id);
  }

  /** Removes `id` and returns its due time. */
  take(id: string): number | undefined {
    const at = this.due.get(id);
    this.due.delete(id);
    return at;
  }

  /**
   * Sets the due time of `id` (moving it to the end of the insertion order),
   * then forgets stale ids from the start of the order, stopping at the first
   * one that is not stale, so a failure costs O(1) amortised however many
   * entries are tracked. An id inserted earlier with a longer backoff may shield
   * later stale ones for a while; the cap bounds the map regardless.
   */
  set(id: string, at: number, now = Date.now()): void {
    this.due.delete(id);
    this.due.set(id, at);
    const stale = now - this.staleAfterMs;
    for (const [old, oldAt] of this.due) {
      if (this.due.size <= this.cap && oldAt >= stale) break;
      this.due.delete(old);
    }
  }
}
