/**
 * Runs cases: FLUSHALL before each case, then `reps` repetitions in which
 * every variant runs once, the order reversed on every other repetition
 * (A B C, C B A, ...) so that a slow phase of a noisy machine hits the compared
 * variants alike. Every run starts on a collected heap: without it, a run
 * paid for collecting the garbage of the one before (the in-memory case
 * leaves ~150 MB), and its rate swung by a third from run to run.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { VariantProfiler } from './profiler.js';
import type { BenchContext, Case, Series } from './types.js';
import { SkipError } from './types.js';

export interface CaseOutcome {
  readonly caseName: string;
  readonly title: string;
  readonly note?: string;
  readonly series: Series[];
  /** Variants that did not run, with the reason. */
  readonly skipped: { readonly variant: string; readonly reason: string }[];
  readonly errors: { readonly variant: string; readonly error: string }[];
  readonly seconds: number;
}

/** A full garbage collection (V8's `gc`, exposed at run time: no node flag needed). */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

export async function runCase(
  ctx: BenchContext,
  benchCase: Case,
  defaultReps: number,
  profiler?: VariantProfiler,
): Promise<CaseOutcome> {
  const started = performance.now();
  const reps = ctx.quick ? 1 : (benchCase.reps ?? defaultReps);
  const series = new Map<string, Series>();
  for (const variant of benchCase.variants) {
    for (const metric of benchCase.metrics) {
      const key = `${benchCase.name}/${variant.name}/${metric.name}`;
      series.set(key, {
        key,
        caseName: benchCase.name,
        variant: variant.name,
        metric,
        samples: [],
      });
    }
  }
  const skipped = new Map<string, string>();
  const errors: { variant: string; error: string }[] = [];
  await ctx.admin.flushall();
  try {
    await benchCase.setup?.(ctx);
    await runReps(ctx, benchCase, reps, series, skipped, errors, profiler);
  } finally {
    await benchCase.teardown?.(ctx);
  }
  return {
    caseName: benchCase.name,
    title: benchCase.title,
    ...(benchCase.note === undefined ? {} : { note: benchCase.note }),
    series: [...series.values()],
    skipped: [...skipped].map(([variant, reason]) => ({ variant, reason })),
    errors,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Every variant once per repetition, alternating the order (see the module comment). */
async function runReps(
  ctx: BenchContext,
  benchCase: Case,
  reps: number,
  series: Map<string, Series>,
  skipped: Map<string, string>,
  errors: { variant: string; error: string }[],
  profiler: VariantProfiler | undefined,
): Promise<void> {
  for (let rep = 0; rep < reps; rep++) {
    const order = rep % 2 === 0 ? [...benchCase.variants] : [...benchCase.variants].reverse();
    for (const variant of order) {
      if (skipped.has(variant.name)) continue;
      if (errors.some((e) => e.variant === variant.name)) continue;
      try {
        await benchCase.beforeRun?.(ctx, variant.name);
        collectGarbage();
        const values = await runProfiled(
          ctx,
          profiler,
          `${benchCase.name}-${variant.name}-${rep + 1}`,
          () => variant.run(ctx),
        );
        const shown = Object.entries(values)
          .filter(([name]) => series.has(`${benchCase.name}/${variant.name}/${name}`))
          .map(([name, value]) => `${name}=${format(value)}`)
          .join(' ');
        ctx.log(`  ${benchCase.name} ${variant.name} #${rep + 1}: ${shown}`);
        for (const [name, value] of Object.entries(values)) {
          series.get(`${benchCase.name}/${variant.name}/${name}`)?.samples.push(value);
        }
      } catch (error) {
        if (error instanceof SkipError) {
          skipped.set(variant.name, error.message);
          ctx.log(`  ${benchCase.name} ${variant.name}: skipped (${error.message})`);
        } else {
          const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
          errors.push({ variant: variant.name, error: text });
          ctx.log(`  ${benchCase.name} ${variant.name}: FAILED ${text}`);
        }
      }
    }
  }
}

async function runProfiled<T>(
  ctx: BenchContext,
  profiler: VariantProfiler | undefined,
  name: string,
  run: () => Promise<T>,
): Promise<T> {
  if (!profiler) return run();
  await profiler.start();
  try {
    return await run();
  } finally {
    ctx.log(`  profile: ${await profiler.stop(name)}`);
  }
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  return value.toPrecision(3);
}
