/**
 * `npm run bench`: schemabus against raw ioredis and BullMQ, side by side, on
 * the bench's own redis-server (a free loopback port, persistence off).
 *
 *   --quick          small sizes, one repetition (the smoke test uses it)
 *   --json           also write bench/results/latest.json
 *   --out FILE       write the JSON report to FILE (implies --json)
 *   --only a,b       run only these cases (publish, batch, sequential, wait-replicas,
 *                    consume, entry-bytes, e2e-1k, e2e-10k, realtime-1k, realtime-10k,
 *                    in-memory, hot-path, codegen, memory, cluster, partitions)
 *   --variant x,y    run only these variants of the chosen cases (for profiling)
 *   --reps N         repetitions of every case that does not fix its own
 *   --baseline DIR   also run every schemabus variant on the runtime of the
 *                    checkout at DIR (`<variant>+base`), alternating with this
 *                    one: e.g. `git worktree add /tmp/base main`
 *
 *   --profile DIR    write a CPU profile of every variant run to DIR (V8
 *                    profiler on only while the variant runs); read one with
 *                    `npx tsx bench/support/cpu-profile-top.ts DIR/<file>`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clusterChoicesCase } from './cases/cluster-choices.js';
import { codegenCase } from './cases/codegen.js';
import { consumeCase } from './cases/consume.js';
import { entryBytesCase } from './cases/entry-bytes.js';
import { hotPathCase } from './cases/hot-path.js';
import { latencyCases } from './cases/latency.js';
import { memoryBusCase } from './cases/memory-bus.js';
import { memoryFootprintCase } from './cases/memory-footprint.js';
import { partitionsCase } from './cases/partitions.js';
import { publishBatchCase, publishCase, sequentialCase } from './cases/publish.js';
import { waitReplicasCase } from './cases/wait-replicas.js';
import { VariantProfiler } from './support/profiler.js';
import { connect } from './support/redis-helpers.js';
import { startRedisServer } from './support/redis-server.js';
import { evaluateChecks, renderReport, rowsOf } from './support/report.js';
import { type CaseOutcome, runCase } from './support/runner.js';
import { enableBaseline } from './support/schemabus.js';
import type { BenchContext, Case } from './support/types.js';

const DEFAULT_REPS = 3;
const LATEST = fileURLToPath(new URL('./results/latest.json', import.meta.url));

function allCases(quick: boolean): Case[] {
  return [
    publishCase(quick),
    publishBatchCase(quick),
    sequentialCase(quick),
    waitReplicasCase(quick),
    consumeCase(quick),
    entryBytesCase(quick),
    ...latencyCases(quick),
    memoryBusCase(quick),
    hotPathCase(quick),
    codegenCase(quick),
    memoryFootprintCase(quick),
    clusterChoicesCase(quick),
    partitionsCase(quick, (line) => console.log(line)),
  ];
}

const machine = () => ({
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  loadavg: loadavg().map((l) => Number(l.toFixed(2))),
});

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      reps: { type: 'string' },
      variant: { type: 'string' },
      profile: { type: 'string' },
      baseline: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  if (values.baseline) await enableBaseline(values.baseline);
  const only = values.only?.split(',').map((s) => s.trim());
  const reps = values.reps === undefined ? DEFAULT_REPS : Number(values.reps);
  const variants = values.variant?.split(',').map((s) => s.trim());
  const cases = allCases(quick)
    .filter((c) => !only || only.includes(c.name))
    .map((c) =>
      variants ? { ...c, variants: c.variants.filter((v) => variants.includes(v.name)) } : c,
    );
  if (cases.length === 0) throw new Error(`--only ${values.only}: no such case`);

  const started = new Date();
  const before = machine();
  const server = await startRedisServer();
  const stop = () => void server.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const admin = await connect(server.url);
  const ctx: BenchContext = {
    redisUrl: server.url,
    port: server.port,
    admin,
    quick,
    log: (message) => console.log(message),
  };
  console.log(
    `schemabus bench${quick ? ' --quick' : ''}: node ${process.version}, redis ${server.version} on 127.0.0.1:${server.port}, ` +
      `${before.cpus} x ${before.cpuModel}, load ${before.loadavg.join(' ')}`,
  );
  const profiler = values.profile ? new VariantProfiler(values.profile) : undefined;
  const outcomes: CaseOutcome[] = [];
  try {
    for (const benchCase of cases) {
      console.log(`${benchCase.name}: ${benchCase.title}`);
      const outcome = await runCase(ctx, benchCase, reps, profiler);
      outcomes.push(outcome);
      console.log(`  (${outcome.seconds.toFixed(1)} s)`);
    }
  } finally {
    admin.disconnect();
    await server.stop();
  }
  const seconds = (Date.now() - started.getTime()) / 1000;
  const rows = rowsOf(outcomes);
  const checks = evaluateChecks(
    cases.flatMap((c) => c.checks),
    rows,
  );
  const after = machine();
  console.log(`\n${renderReport(outcomes, rows, checks)}\n`);
  console.log(
    `total ${seconds.toFixed(0)} s; load average before ${before.loadavg.join(' ')}, after ${after.loadavg.join(' ')}`,
  );

  if (values.json || values.out) {
    const file = values.out ?? LATEST;
    mkdirSync(dirname(file), { recursive: true });
    const report = {
      startedAt: started.toISOString(),
      seconds,
      quick,
      node: process.version,
      redis: server.version,
      machine: { before, after },
      rows,
      checks,
      cases: outcomes.map((o) => ({
        name: o.caseName,
        title: o.title,
        seconds: o.seconds,
        skipped: o.skipped,
        errors: o.errors,
      })),
    };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${file}`);
  }
  return outcomes.some((o) => o.errors.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
