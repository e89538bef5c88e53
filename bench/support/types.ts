/** The shapes every bench case and the runner share. */
import type { Redis } from 'ioredis';

/** One measured quantity of a variant, e.g. `rate` in events/s or `p99` in ms. */
export interface Metric {
  readonly name: string;
  readonly unit: string;
  /** Which direction is better, for the reader of the table. */
  readonly better: 'higher' | 'lower';
}

/** What a case gets from the runner. */
export interface BenchContext {
  /** `redis://127.0.0.1:<port>` of the bench's own redis-server. */
  readonly redisUrl: string;
  readonly port: number;
  /** A connection for setup only (FLUSHALL, pre-filling, INFO); never timed. */
  readonly admin: Redis;
  /** `--quick`: small sizes, few repetitions. */
  readonly quick: boolean;
  log(message: string): void;
}

/** One side of a comparison: schemabus, raw ioredis, BullMQ... */
export interface Variant {
  /** Short id, unique inside its case: `schemabus`, `raw`, `bullmq`. */
  readonly name: string;
  /** Runs once and returns one value per metric of the case (missing metrics are not measured). */
  run(ctx: BenchContext): Promise<Readonly<Record<string, number>>>;
}

/** A target the run is judged against: a ratio of two medians, or one median against a bound. */
export interface Check {
  readonly label: string;
  /** `case/variant/metric` of the numerator (or the value itself). */
  readonly value: string;
  /** `case/variant/metric` of the denominator; absent for an absolute bound. */
  readonly over?: string;
  readonly target?: { readonly op: '>=' | '<='; readonly bound: number };
}

/** A group of variants measured together, alternating, in one repetition loop. */
export interface Case {
  readonly name: string;
  readonly title: string;
  readonly metrics: readonly Metric[];
  /** Repetitions of every variant. @default the runner's (3, or 1 with `--quick`) */
  readonly reps?: number;
  /** Once, after FLUSHALL, before the first repetition (pre-filling, warm-up). */
  setup?(ctx: BenchContext): Promise<void>;
  /** Once, after the last repetition, even after a failure (stopping what setup started). */
  teardown?(ctx: BenchContext): Promise<void>;
  /** Before every run of every variant, untimed (resetting a consumer group...). */
  beforeRun?(ctx: BenchContext, variant: string): Promise<void>;
  readonly variants: readonly Variant[];
  readonly checks: readonly Check[];
  /** A line under the table saying what was measured. */
  readonly note?: string;
}

/** The samples of one variant's metric over every repetition. */
export interface Series {
  readonly key: string;
  readonly caseName: string;
  readonly variant: string;
  readonly metric: Metric;
  readonly samples: number[];
}

/** A variant that cannot run yet (its module is missing): the runner reports it as skipped. */
export class SkipError extends Error {
  override name = 'SkipError';
}
