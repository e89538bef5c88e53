/**
 * How many entries a consumer fetches per read when `batchSize` is not
 * set: enough to keep about {@link TARGET_WORK_MS} of handler work fetched,
 * so fast handlers get large reads (one round trip per hundred entries,
 * not per ten: at concurrency 1 the socket writes of small reads were a
 * fifth of the consume path) and slow ones do not hoard entries other
 * consumers of the group could take.
 *
 * The work rate comes from sampled handler durations (one in
 * {@link SAMPLE_EVERY}, so the clock is read rarely): `concurrency /
 * average duration`.
 */

/** Handler work to keep fetched. */
const TARGET_WORK_MS = 50;
/** Most entries held (waiting or running) when reads are sized adaptively. */
export const ADAPTIVE_MAX_HELD = 200;
/** One handler in this many is timed. */
const SAMPLE_EVERY = 8;
/** Weight of a new sample in the moving average. */
const SMOOTHING = 0.2;

export class ReadSizer {
  #averageMs = -1;
  #count = 0;
  readonly #min: number;

  /**
   * @param concurrency handlers in flight at once.
   * @param fixed the user's `batchSize`: reads are then always sized by it.
   * @param initial the size used until handlers were timed.
   */
  constructor(
    private readonly concurrency: number,
    private readonly fixed: number | undefined,
    private readonly initial: number,
  ) {
    this.#min = Math.min(ADAPTIVE_MAX_HELD, Math.max(2, concurrency));
  }

  /** Most entries to hold (waiting for a slot or running) after the next read. */
  get size(): number {
    if (this.fixed !== undefined) return this.fixed;
    if (this.#averageMs < 0) return this.initial;
    const wanted = Math.ceil((this.concurrency * TARGET_WORK_MS) / Math.max(this.#averageMs, 1e-3));
    return Math.max(this.#min, Math.min(ADAPTIVE_MAX_HELD, wanted));
  }

  /** Called as a handler starts: a start time to give to {@link finished}, or -1 when this one is not timed. */
  starting(): number {
    if (this.fixed !== undefined || ++this.#count % SAMPLE_EVERY !== 0) return -1;
    return performance.now();
  }

  /** A timed handler (`started` from {@link starting}) finished. */
  finished(started: number): void {
    const ms = performance.now() - started;
    this.#averageMs =
      this.#averageMs < 0 ? ms : this.#averageMs + SMOOTHING * (ms - this.#averageMs);
  }
}
