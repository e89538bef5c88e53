/**
 * Retention's cost per run is bounded: Redis 7.0 streams have no index by
 * position, so finding "maxLen entries from the end" reads that many entries
 * inside the script (100k entries blocked Redis ~400 ms per run). A run reads
 * at most TRIM_CHUNK + 1 entries from the head, none when a group holds the
 * first entry, and later runs converge — never trimming what a group has not
 * acked; when every group's floor lies among the newest maxLen entries a run
 * reads only the spans of pending entries (none without groups). Checked with
 * MONITOR, which shows the commands a script runs.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  type RetentionKeeper,
  type RetentionOptions,
  TRIM_CHUNK,
} from '../../runtime/redis/retention-keeper.js';
import { withRetention } from '../support/catalog-overrides.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

const MAX_LEN = 2 * TRIM_CHUNK;
const LENGTH = MAX_LEN + 2 * TRIM_CHUNK + TRIM_CHUNK / 2; // excess 2.5 chunks, more than maxLen / 2

/**
 * The XRANGE / XREVRANGE calls of scripts, as MONITOR shows them: entries
 * each asked for (COUNT) and where each started.
 */
async function watchScriptReads(
  admin: Redis,
): Promise<{ counts: number[]; starts: string[]; sync(): Promise<void> }> {
  const monitor = await admin.monitor();
  onCleanup(() => monitor.disconnect());
  const counts: number[] = [];
  const starts: string[] = [];
  const markers = new Set<string>();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const name = args[0]?.toLowerCase();
    if (name === 'echo' && args[1]?.startsWith('marker-')) markers.add(args[1]);
    if (source !== 'lua' || (name !== 'xrange' && name !== 'xrevrange')) return;
    const at = args.findIndex((a) => a.toUpperCase() === 'COUNT');
    counts.push(at < 0 ? Number.POSITIVE_INFINITY : Number(args[at + 1]));
    starts.push(args[2] ?? '');
  });
  let n = 0;
  return {
    counts,
    starts,
    // MONITOR output is ordered: once a marker sent after a run shows, so did the run.
    sync: async () => {
      const marker = `marker-${n++}`;
      await admin.echo(marker);
      await waitFor(
        () => markers.has(marker),
        () => `MONITOR to show ${marker}`,
      );
    },
  };
}

/** A bus whose stream `jobs` keeps `maxLen` entries, with its retention keeper, stream and an admin client. */
function retentionSetup(maxLen: number, retention: RetentionOptions = { trim: 'exact' }) {
  const catalog = testCatalog((c) => withRetention(c, 'jobs', { maxLen }));
  const bus = newBus(server(), catalog, { retention });
  const keeper = (bus as unknown as { retention: RetentionKeeper }).retention;
  return { bus, keeper, stream: catalog.streams.jobs!, admin: server().client() };
}

describe('retention cost', () => {
  it('a trim run reads a bounded chunk from the head (none while a group holds the first entry) and runs converge', async () => {
    const {
      bus,
      keeper: retention,
      stream,
      admin,
    } = retentionSetup(MAX_LEN, {
      trim: 'exact',
      hardCapFactor: 100,
    });
    await bus.bootstrap(); // groups workers and quiet, from the start, never read
    for (let i = 0; i < LENGTH; i += 5000) {
      const pipeline = admin.pipeline();
      for (let j = i; j < Math.min(LENGTH, i + 5000); j++) pipeline.xadd(stream.key, '*', 'n', j);
      await pipeline.exec();
    }
    const reads = await watchScriptReads(server().client());

    // Both groups hold the first entry: nothing may go, and no entry is read to find a cutoff.
    const held = await retention.trim(stream);
    await reads.sync();
    expect([held.removed, held.forcedRemoved, held.length]).toEqual([0, 0, LENGTH]);
    expect(reads.counts.length).toBeGreaterThan(0); // MONITOR shows the script's commands
    expect(reads.counts.every((count) => count <= 1)).toBe(true);

    // inspect() (a dry run) reads at most a chunk, and reports both groups lagging.
    const inspected = (await bus.inspect()).streams.find((s) => s.name === 'jobs')!;
    expect(inspected.groups.map((g) => [g.name, g.laggingPastRetention])).toEqual([
      ['quiet', true],
      ['workers', true],
    ]);

    // The groups catch up: runs trim at most a chunk each and converge on maxLen.
    for (const group of ['workers', 'quiet']) await admin.xgroup('SETID', stream.key, group, '$');
    const removed: number[] = [];
    for (let run = 0; run < 10 && (await admin.xlen(stream.key)) > MAX_LEN; run++) {
      removed.push((await retention.trim(stream)).removed);
    }
    await reads.sync();
    expect(await admin.xlen(stream.key)).toBe(MAX_LEN);
    expect(removed).toEqual([TRIM_CHUNK, TRIM_CHUNK, TRIM_CHUNK / 2]);
    expect(reads.counts).toContain(TRIM_CHUNK + 1);
    expect(Math.max(...reads.counts)).toBeLessThanOrEqual(TRIM_CHUNK + 1);
  });

  it('a group holding an entry inside the chunk limits the trim to it', async () => {
    const { bus, keeper: retention, stream, admin } = retentionSetup(100);
    await bus.bootstrap();
    const ids = await fill(admin, stream.key, 300);
    // workers read everything and acked all but entry 50; quiet read everything.
    await admin.xreadgroup('GROUP', 'workers', 'w', 'COUNT', 300, 'STREAMS', stream.key, '>');
    await admin.xack(stream.key, 'workers', ...ids.filter((_, i) => i !== 50));
    await admin.xgroup('SETID', stream.key, 'quiet', '$');
    const result = await retention.trim(stream);
    expect(result.removed).toBe(50);
    expect((await admin.xrange(stream.key, '-', '+', 'COUNT', 1))[0]?.[0]).toBe(ids[50]);
    await admin.xack(stream.key, 'workers', ids[50]!);
    await retention.trim(stream);
    expect(await admin.xlen(stream.key)).toBe(100);
  });

  it('a stream without groups is trimmed to maxLen without reading an entry', async () => {
    const { keeper: retention, stream, admin } = retentionSetup(1000);
    await fill(admin, stream.key, 1500);
    const reads = await watchScriptReads(server().client());
    const result = await retention.trim(stream);
    await reads.sync();
    expect([result.removed, result.length]).toEqual([500, 1500]);
    expect(await admin.xlen(stream.key)).toBe(1000);
    expect(reads.counts).toEqual([]);
  });

  it("with every group's floor among the newest maxLen entries, a run reads only the pending entries' span", async () => {
    const { bus, keeper: retention, stream, admin } = retentionSetup(1000);
    await bus.bootstrap();
    const ids = await fill(admin, stream.key, 1500);
    // workers read everything and leave the last 20 unacked; quiet is caught up.
    await admin.xreadgroup('GROUP', 'workers', 'w', 'COUNT', 1500, 'STREAMS', stream.key, '>');
    await admin.xack(stream.key, 'workers', ...ids.slice(0, 1480));
    await admin.xgroup('SETID', stream.key, 'quiet', '$');
    const reads = await watchScriptReads(server().client());
    const result = await retention.trim(stream);
    await reads.sync();
    expect(result.removed).toBe(500);
    expect((await admin.xrange(stream.key, '-', '+', 'COUNT', 1))[0]?.[0]).toBe(ids[500]);
    expect(reads.starts).toEqual([ids[1480]]); // no read from the head
    const pending = await admin.xpending(stream.key, 'workers');
    expect(pending[0]).toBe(20);
  });
});

/** Appends `n` small entries to `key` in one pipeline; returns their ids. */
async function fill(admin: Redis, key: string, n: number): Promise<string[]> {
  const pipeline = admin.pipeline();
  for (let i = 0; i < n; i++) pipeline.xadd(key, '*', 'n', i);
  return ((await pipeline.exec()) ?? []).map(([, id]) => id as string);
}
