/**
 * A stream's slot moved to another master while the bus publishes and
 * consumes (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE of the stream
 * first and then of 200 other keys of its slot, in batches, with publishes
 * acknowledged between them, SETSLOT NODE): publishes and reads follow ASK
 * while the slot migrates and MOVED after; nothing acknowledged is lost,
 * every event is handled, a duplicate only as at-least-once allows (a
 * redelivery), and no publish fails. The counts are printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningWorkload } from '../support/cluster-workload.js';
import { type RedisClusterServer, startRedisCluster } from '../support/redis-cluster-harness.js';

let cluster: RedisClusterServer;

beforeAll(async () => {
  cluster = await startRedisCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

describe('slot migration under load', () => {
  it("moves the stream's slot to another master: nothing lost, nothing failed, every event handled", async () => {
    const { load, key } = await runningWorkload(cluster);
    // Other keys of the slot, so it stays migrating for a while after the stream moved.
    const source = await cluster.masterOf(key);
    const pad = cluster.nodeClient(source);
    for (let i = 0; i < 200; i++) await pad.set(`${key}:pad:${i}`, 'x');
    const target = (await cluster.masters()).find((m) => m.address !== source.address)!;
    const started = Date.now();
    let batches = 0;
    await cluster.migrateSlot(key, target, {
      first: [key],
      batch: 20,
      between: async () => {
        batches++;
        await load.untilMoreAcked(20);
      },
    });
    const migrationMs = Date.now() - started;
    expect((await cluster.masterOf(key)).address).toBe(target.address);
    await load.untilMoreAcked(150);
    const report = await load.finish();
    console.log(
      `slot migration ${source.address} -> ${target.address} (${batches} MIGRATEs, ${migrationMs} ms): ${JSON.stringify(report)}`,
    );
    expect(report.lost).toEqual({ wait: 0, nowait: 0 });
    expect(report.failed).toEqual({ wait: {}, nowait: {} });
    expect(report.dataLoss).toBe(0);
  }, 90_000);
});
