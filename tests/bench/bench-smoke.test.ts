/**
 * The bench must not rot: `bench/run.ts --quick` runs every case on its own
 * redis-server and reports a number for every variant. Speed is not asserted
 * here (see bench/).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');

interface BenchReport {
  rows: { key: string; caseName: string; variant: string; median: number }[];
  cases: {
    name: string;
    skipped: { variant: string; reason: string }[];
    errors: { variant: string; error: string }[];
  }[];
}

describe('bench --quick', () => {
  it('runs every case and reports numbers for each variant', { timeout: 240_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemabus-bench-test-'));
    try {
      const out = join(dir, 'bench.json');
      const run = spawnSync(
        TSX,
        ['--conditions=schemabus-source', 'bench/run.ts', '--quick', '--out', out],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 220_000,
        },
      );
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
      expect(report.cases.length).toBeGreaterThanOrEqual(11);
      for (const benchCase of report.cases) {
        expect(benchCase.errors, benchCase.name).toEqual([]);
        expect(benchCase.skipped, benchCase.name).toEqual([]);
        const rows = report.rows.filter((r) => r.caseName === benchCase.name);
        expect(rows.length, benchCase.name).toBeGreaterThan(0);
        for (const row of rows) expect(Number.isFinite(row.median), row.key).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
