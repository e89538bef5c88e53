/**
 * Per-key order through retries, on a partitioned stream: an entry whose
 * handler failed and waits for its retry holds its key, and the later
 * entries of that key (same partition key value) are parked, in entry id
 * order, until the retry succeeded, was dead-lettered or left this
 * consumer; other keys go on. The dispatcher (runtime/internal/dispatcher.ts)
 * keeps a key sequential while its entries run; this keeps it so across the
 * backoff, when the failed entry is not in the dispatcher.
 */

/** Compares two stream entry ids (`ms-seq`) in stream order. */
export function compareEntryIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}

interface Hold {
  readonly id: string;
  since: number;
}

/** The held keys of one consumer and the entries parked behind them. */
export class KeyHolds<T extends { readonly id: string }> {
  private readonly holds = new Map<string, Hold>();
  private readonly keyOf = new Map<string, string>();
  private readonly parked = new Map<string, T[]>();
  private parkedTotal = 0;
  /** Who waits for fewer parked entries than their limit (the read loop: see whenParkedBelow). */
  private readonly belowWaiters: { readonly limit: number; readonly resolve: () => void }[] = [];
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    /** Takes a parked item back (it may be parked again behind a new hold). */
    private readonly admit: (item: T) => void,
    /** Whether the consumer still has entry `id` (held, or failed here and waiting for its retry). */
    private readonly alive: (id: string) => boolean,
    /** A hold this old whose entry the consumer has not any more is dropped (the entry went elsewhere). */
    private readonly staleMs: number,
    /**
     * Whether the consumer cannot take its retries back now (its circuit
     * breaker is open or probing: the claim scan claims nothing): holds do
     * not age meanwhile, since their entries wait in Redis, not elsewhere.
     */
    private readonly paused: () => boolean = () => false,
  ) {}

  /** Entries parked now. */
  get parkedCount(): number {
    return this.parkedTotal;
  }

  /** Resolves once fewer than `limit` entries are parked. */
  whenParkedBelow(limit: number): Promise<void> {
    if (this.parkedTotal < limit) return Promise.resolve();
    return new Promise((resolve) => this.belowWaiters.push({ limit, resolve }));
  }

  /** Whether entry `id` of `key` must wait: another entry holds the key. */
  heldBack(key: string, id: string): boolean {
    const hold = this.holds.get(key);
    return hold !== undefined && hold.id !== id;
  }

  /** Entry `id` failed (or waits for a retry it was taken over with): its key waits for it. */
  hold(key: string, id: string): void {
    const hold = this.holds.get(key);
    if (hold !== undefined && hold.id === id) {
      hold.since = Date.now();
      return;
    }
    this.holds.set(key, { id, since: Date.now() });
    this.keyOf.set(id, key);
    this.sweeper ??= setInterval(() => this.sweep(), Math.max(100, Math.floor(this.staleMs / 4)));
    this.sweeper.unref?.();
  }

  /** Parks `item` of `key` behind its key's hold, in entry id order. */
  park(key: string, item: T): void {
    this.parkedTotal++;
    const list = this.parked.get(key);
    if (list === undefined) {
      this.parked.set(key, [item]);
      return;
    }
    let at = list.length;
    while (at > 0 && compareEntryIds(list[at - 1]!.id, item.id) > 0) at--;
    list.splice(at, 0, item);
  }

  /** Entry `id` is done here (acked, dead-lettered, gone): its key, if it held one, goes on. */
  releaseId(id: string): void {
    const key = this.keyOf.get(id);
    if (key === undefined) return;
    this.keyOf.delete(id);
    if (this.holds.get(key)?.id !== id) return;
    this.holds.delete(key);
    const list = this.parked.get(key);
    this.parked.delete(key);
    if (list !== undefined) {
      this.parkedTotal -= list.length;
      // An item may be parked again (and counted again) behind a new hold of its key.
      for (const item of list) this.admit(item);
      this.notifyBelow();
    }
    if (this.holds.size === 0) this.stopSweeper();
  }

  /** Forgets every hold and parked item (close: parked entries stay pending in Redis). */
  clear(): T[] {
    const dropped = [...this.parked.values()].flat();
    this.holds.clear();
    this.keyOf.clear();
    this.parked.clear();
    this.parkedTotal = 0;
    this.notifyBelow();
    this.stopSweeper();
    return dropped;
  }

  private notifyBelow(): void {
    for (let i = this.belowWaiters.length - 1; i >= 0; i--) {
      const waiter = this.belowWaiters[i]!;
      if (this.parkedTotal < waiter.limit) {
        this.belowWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  private sweep(): void {
    const now = Date.now();
    if (this.paused()) {
      for (const hold of this.holds.values()) hold.since = now;
      return;
    }
    const stale = now - this.staleMs;
    for (const hold of [...this.holds.values()]) {
      if (hold.since < stale && !this.alive(hold.id)) this.releaseId(hold.id);
    }
  }

  private stopSweeper(): void {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
