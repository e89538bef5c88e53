import {
  bullmqStreams,
  METRICS,
  type Runner,
  rawRealtime,
  rawStreams,
  schemabusRealtime,
  schemabusStreams,
} from '../support/latency-runners.js';
import { type Flavor, flavors } from '../support/schemabus.js';
import type { Case, Check, Variant } from '../support/types.js';

function latencyCase(
  name: string,
  title: string,
  rate: number,
  count: number,
  reps: number,
  variants: Record<string, Runner>,
  checks: Check[],
): Case {
  const list: Variant[] = Object.entries(variants).map(([variant, run]) => ({
    name: variant,
    run: (ctx) => run(ctx, rate, count),
  }));
  return {
    name,
    title,
    metrics: METRICS,
    reps,
    beforeRun: (ctx) => ctx.admin.flushall().then(() => undefined),
    variants: list,
    checks,
  };
}

/** One variant per bus flavor: `schemabus`, `schemabus+base`. */
function perFlavor(make: (flavor: Flavor) => Runner): Record<string, Runner> {
  return Object.fromEntries(flavors().map((f) => [`schemabus${f.suffix}`, make(f)]));
}

/** The checks of `make`, once per bus flavor (`sb` is the variant name). */
function checksPerFlavor(make: (sb: string, suffix: string) => Check[]): Check[] {
  return flavors().flatMap((f) => make(`schemabus${f.suffix}`, f.suffix));
}

export function latencyCases(quick: boolean): Case[] {
  const count = (rate: number, s: number) => Math.round(rate * (quick ? 0.3 : s));
  return [
    latencyCase(
      'e2e-1k',
      'publish -> handler at 1k/s',
      1000,
      count(1000, 2),
      5,
      { raw: rawStreams, ...perFlavor(schemabusStreams), bullmq: bullmqStreams },
      checksPerFlavor((sb, x) => [
        {
          label: `e2e 1k/s p50${x} (ms)`,
          value: `e2e-1k/${sb}/p50`,
          target: { op: '<=', bound: 0.3 },
        },
        {
          label: `e2e 1k/s p99${x} (ms)`,
          value: `e2e-1k/${sb}/p99`,
          target: { op: '<=', bound: 2 },
        },
        {
          label: `e2e 1k/s p99${x} / raw Streams p99`,
          value: `e2e-1k/${sb}/p99`,
          over: 'e2e-1k/raw/p99',
          target: { op: '<=', bound: 1 },
        },
        {
          label: `e2e 1k/s p99${x} / BullMQ p99`,
          value: `e2e-1k/${sb}/p99`,
          over: 'e2e-1k/bullmq/p99',
          target: { op: '<=', bound: 0.5 },
        },
      ]),
    ),
    latencyCase(
      'e2e-10k',
      'publish -> handler at 10k/s',
      10_000,
      count(10_000, 1.5),
      3,
      { raw: rawStreams, ...perFlavor(schemabusStreams) },
      checksPerFlavor((sb, x) => [
        {
          label: `e2e 10k/s p99${x} (ms)`,
          value: `e2e-10k/${sb}/p99`,
          target: { op: '<=', bound: 3 },
        },
        {
          label: `e2e 10k/s p99${x} / raw Streams p99`,
          value: `e2e-10k/${sb}/p99`,
          over: 'e2e-10k/raw/p99',
        },
      ]),
    ),
    latencyCase(
      'realtime-1k',
      'realtime publish -> handler at 1k/s',
      1000,
      count(1000, 2),
      5,
      { raw: rawRealtime, ...perFlavor(schemabusRealtime) },
      checksPerFlavor((sb, x) => [
        {
          label: `realtime 1k/s p99${x} / raw PUBLISH p99`,
          value: `realtime-1k/${sb}/p99`,
          over: 'realtime-1k/raw/p99',
        },
      ]),
    ),
    latencyCase(
      'realtime-10k',
      'realtime publish -> handler at 10k/s',
      10_000,
      count(10_000, 1.5),
      3,
      { raw: rawRealtime, ...perFlavor(schemabusRealtime) },
      checksPerFlavor((sb, x) => [
        {
          label: `realtime 10k/s p99${x} / raw PUBLISH p99`,
          value: `realtime-10k/${sb}/p99`,
          over: 'realtime-10k/raw/p99',
        },
      ]),
    ),
  ];
}
