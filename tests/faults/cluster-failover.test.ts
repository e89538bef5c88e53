/**
 * A Redis Cluster failing over while the bus publishes and consumes: the
 * stream's master handed over with CLUSTER FAILOVER (a clean failover: the
 * replica catches up first), killed with SIGKILL (the replica takes over
 * after cluster-node-timeout with whatever it had received), and killed
 * while its replica lags (paused, 32 MB behind). Two publishers run side by
 * side, one waiting for a replica per publish (waitForReplicas: 1), one not;
 * each failover prints what was acknowledged, lost (acknowledged but gone
 * from the stream), failed, handled and handled twice. Asserted is what
 * Redis promises: nothing that waited for a replica is lost when that
 * replica takes over; what the bus promises: a loss it saw is reported
 * (DataLossError), and after every failover it goes on and handles
 * everything the stream holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeGapError, RedisEventBus, type SchemabusError } from '../../runtime/index.js';
import {
  type ClusterWorkload,
  runningWorkload,
  type WorkloadReport,
} from '../support/cluster-workload.js';
import { onCleanup, testCatalog } from '../support/redis-bus.js';
import {
  type ClusterNode,
  type RedisClusterServer,
  startRedisCluster,
} from '../support/redis-cluster-harness.js';
import { waitFor } from '../support/wait.js';

let cluster: RedisClusterServer;

beforeAll(async () => {
  cluster = await startRedisCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

/** What a fault works on: the stream's master, its replica, the stream key, the load. */
interface FaultScene {
  readonly master: ClusterNode;
  readonly replica: ClusterNode;
  readonly key: string;
  readonly load: ClusterWorkload;
}

/** Runs the workload around `fault`, prints its report, checks the bus went on. */
async function aroundFault(
  name: string,
  fault: (scene: FaultScene) => Promise<void>,
): Promise<WorkloadReport> {
  const { load, key } = await runningWorkload(cluster);
  const master = await cluster.masterOf(key);
  // After the previous test's failover the demoted master shows as this one's replica only
  // once its replication link is up: waited for, not taken as missing.
  const replica = await waitFor(
    async () => (await cluster.replicasOf(master))[0],
    () => `a replica of ${master.address}`,
    { timeoutMs: 30_000 },
  );
  const started = Date.now();
  await fault({ master, replica, key, load });
  const faultMs = Date.now() - started;
  const before = new Set(load.ackedIds());
  await load.untilMoreAcked(150);
  const after = load.ackedIds().filter((id) => !before.has(id));
  const report = await load.finish();
  console.log(`${name} (${faultMs} ms until the cluster was whole): ${JSON.stringify(report)}`);
  expect(load.allHandled(after), 'every publish acknowledged after the failover is handled').toBe(
    true,
  );
  return report;
}

/** Kills `master` (then runs `afterKill`), waits for its replica to take over, and starts it again as a replica. */
async function killMaster(master: ClusterNode, afterKill?: () => void): Promise<void> {
  await cluster.kill9(master, afterKill);
  // Until the killed node is back (a replica of the new master), the shard has no
  // replica: publishes waiting for one fail with UnderReplicatedError meanwhile.
  await cluster.restart(master);
}

describe('failover of the master of a stream under load', () => {
  it('CLUSTER FAILOVER: nothing that waited for a replica is lost, and the bus goes on', async () => {
    const report = await aroundFault('CLUSTER FAILOVER', ({ replica }) =>
      cluster.failover(replica),
    );
    expect(report.lost.wait).toBe(0);
  }, 90_000);

  it('kill -9 of the master: losses are counted, and the bus goes on', async () => {
    const report = await aroundFault('kill -9 of the master', ({ master }) => killMaster(master));
    if (report.lost.nowait > 0) expect(report.dataLoss).toBeGreaterThan(0);
  }, 90_000);

  it('kill -9 of a master whose replica lags: what did not wait is lost and reported, nothing that waited', async () => {
    const report = await aroundFault(
      'kill -9 of the master, its replica lagging',
      async (scene) => {
        cluster.pause(scene.replica);
        // More than the socket buffers hold, in the stream's slot: what the master
        // acknowledges after it stays in the master's memory.
        const master = cluster.nodeClient(scene.master);
        for (let i = 0; i < 32; i++) await master.set(`${scene.key}:pad:${i}`, 'x'.repeat(1 << 20));
        await scene.load.untilMoreAcked(50, ['nowait']);
        await killMaster(scene.master, () => cluster.resume(scene.replica));
      },
    );
    expect(report.lost.wait).toBe(0);
    expect(
      report.lost.nowait,
      'the control: the lagging replica lost what it never got',
    ).toBeGreaterThan(0);
    expect(report.dataLoss, 'the bus reports the loss it saw').toBeGreaterThan(0);
  }, 90_000);

  it('the realtime subscriber moves to another node when its node dies, and tells the gap', async () => {
    const catalog = testCatalog();
    const bus = new RedisEventBus({ catalog, redis: cluster.url });
    const publisher = new RedisEventBus({ catalog, redis: cluster.url });
    onCleanup(async () => {
      await bus.close({ timeoutMs: 100 });
      await publisher.close({ timeoutMs: 100 });
    });
    const errors: SchemabusError[] = [];
    bus.onError((error) => errors.push(error));
    const received: string[] = [];
    await bus.onRealtime('order-status', {}, (event) => void received.push(event.id));
    const subscribed = await waitFor(async () => {
      for (const node of cluster.nodes.filter((n) => n.running)) {
        const clients = String(await cluster.nodeClient(node).client('LIST'));
        if (clients.includes('name=schemabus:realtime')) return node;
      }
      return undefined;
    });
    await cluster.kill9(subscribed);
    onCleanup(() => cluster.restart(subscribed));
    // Published until one arrives: the subscriber is back, on another node.
    await waitFor(
      async () => {
        await publisher.publish('order.cancelled', { orderId: crypto.randomUUID(), reason: 'r' });
        return received.length > 0;
      },
      () => `a realtime message after ${subscribed.address} died`,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    await waitFor(() => errors.some((e) => e instanceof RealtimeGapError));
    expect(bus.stats().realtimeGaps).toBe(1);
  }, 90_000);
});
