/**
 * A partitioned stream on a Redis Cluster against one stream on one node,
 * same machine: consume throughput of one subscription (no-op handlers,
 * validation on, acks included) over a pre-filled stream.
 *
 * Handlers in flight are the same in all (concurrency applies per partition).
 *
 * - `one-node`: the bench's own redis-server, the `ledger` stream
 *   unpartitioned (one stream key, one reader);
 * - `cluster-6p`: a local 3-master, 3-replica cluster, `ledger` in 6
 *   partitions (about 2 per master), one subscription leasing all 6 (a
 *   reader per partition).
 *
 * Besides the rate, each cluster run measures every master's CPU (INFO cpu)
 * and the consumer process's own, and estimates what separate machines
 * would give: one consumer process and one master per machine, each doing
 * a third of the work at the per-CPU-second rates measured here. On the
 * bench's machine (2 cores) the cluster's 6 redis-servers and the consumer
 * share the same cores, so the ratio shows the overhead (6 readers, 6
 * nodes, leases) more than the gain.
 */
import type { BatchItem } from '../../runtime/bus.js';
import type { Catalog } from '../../runtime/catalog.js';
import { RedisEventBus } from '../../runtime/index.js';
import { partitionKeys } from '../../runtime/internal/partitions.js';
import { createTestCatalog } from '../../tests/contract/catalog.js';
import {
  type RedisClusterServer,
  startRedisCluster,
} from '../../tests/support/redis-cluster-harness.js';
import { ratePerSecond } from '../support/stats.js';
import type { BenchContext, Case, Metric, Variant } from '../support/types.js';

const PARTITIONS = 6;
const ACCOUNTS = 600;
/** Handlers in flight at most, in all (per partition on the cluster: this / PARTITIONS). */
const CONCURRENCY = 48;
const METRICS: Metric[] = [
  { name: 'rate', unit: 'events/s', better: 'higher' },
  { name: 'clientCpu', unit: 'µs/event', better: 'lower' },
  { name: 'serverCpu', unit: 'µs/event', better: 'lower' },
  { name: 'separateMachines', unit: 'events/s (estimate)', better: 'higher' },
];

let cluster: RedisClusterServer | undefined;
let run = 0;

function ledgerCatalog(partitioned: boolean): Catalog {
  const base = createTestCatalog(`bench-p${++run}`);
  const ledger = base.streams.ledger!;
  const { partitions: _, ...single } = ledger;
  return {
    ...base,
    streams: {
      ...base.streams,
      ledger: partitioned
        ? { ...ledger, partitions: { count: PARTITIONS, key: 'accountId' } }
        : single,
    },
  };
}

/** A partitioned catalogue whose partitions sit evenly on the masters (2 each), as a planned deployment would place them. */
async function spreadCatalog(c: RedisClusterServer): Promise<Catalog> {
  const masters = (await c.masters()).length;
  for (let tries = 0; ; tries++) {
    const catalog = ledgerCatalog(true);
    const count = new Map<string, number>();
    for (const p of partitionKeys(catalog.streams.ledger!)) {
      const master = (await c.masterOf(p.key)).address;
      count.set(master, (count.get(master) ?? 0) + 1);
    }
    const even =
      count.size === masters && [...count.values()].every((k) => k === PARTITIONS / masters);
    if (even || tries >= 500) return catalog;
  }
}

function events(n: number, from: number): BatchItem[] {
  return Array.from({ length: n }, (_, i) => ({
    type: 'ledger.credited',
    data: { accountId: `acct-${(from + i) % ACCOUNTS}`, seq: from + i, amount: 1 },
  }));
}

async function prefill(bus: RedisEventBus, n: number): Promise<void> {
  for (let i = 0; i < n; i += 500) await bus.publishBatch(events(Math.min(500, n - i), i));
}

/** CPU seconds (user + sys) of each master of the cluster so far, by address. */
async function mastersCpu(c: RedisClusterServer): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const node of await c.masters()) {
    const info = await c.nodeClient(node).info('cpu');
    const user = Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0);
    const sys = Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
    out.set(node.address, user + sys);
  }
  return out;
}

/** CPU seconds of the bench's own redis-server so far. */
async function serverCpu(ctx: BenchContext): Promise<number> {
  const info = await ctx.admin.info('cpu');
  return (
    Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0) +
    Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0)
  );
}

/** Consumes `n` pre-filled events with one subscription; resolves the seconds it took and the client CPU seconds. */
async function consume(
  bus: RedisEventBus,
  n: number,
  concurrency: number,
): Promise<{ ms: number; cpu: number }> {
  let handled = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const on = async () => {
    if (++handled === n) resolveDone();
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const sub = bus.subscribe(
    'balances',
    { 'ledger.credited': on, 'ledger.debited': on },
    { consumer: 'bench', concurrency },
  );
  await done;
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu0);
  await sub.close();
  return { ms, cpu: (used.user + used.system) / 1e6 };
}

function oneNode(n: number, log: (line: string) => void): Variant {
  return {
    name: 'one-node',
    run: async (ctx) => {
      const catalog = ledgerCatalog(false);
      const bus = new RedisEventBus({ catalog, redis: ctx.redisUrl });
      try {
        await bus.bootstrap();
        await prefill(bus, n);
        const cpu0 = await serverCpu(ctx);
        const { ms, cpu } = await consume(bus, n, CONCURRENCY);
        const server = (await serverCpu(ctx)) - cpu0;
        const rate = ratePerSecond(n, 0, ms);
        // The same estimate as the cluster's: one consumer machine and one server, each limited by its CPU.
        const separateMachines = Math.min(
          n / cpu,
          server > 0 ? n / server : Number.POSITIVE_INFINITY,
        );
        log(
          `    one-node run: ${Math.round(rate)} events/s; consumer ${Math.round(n / cpu)} events per CPU-second; ` +
            `server ${Math.round(n / server)} events per CPU-second; estimate on its own machines: ${Math.round(separateMachines)} events/s`,
        );
        return {
          rate,
          clientCpu: (cpu * 1e6) / n,
          serverCpu: (server * 1e6) / n,
          separateMachines,
        };
      } finally {
        await bus.close({ timeoutMs: 100 });
        await ctx.admin.del(...(await ctx.admin.keys(`{${catalog.namespace}:*`)));
      }
    },
  };
}

function clusterPartitioned(n: number, log: (line: string) => void): Variant {
  return {
    name: `cluster-${PARTITIONS}p`,
    run: async () => {
      const c = cluster!;
      const catalog = await spreadCatalog(c);
      const bus = new RedisEventBus({ catalog, redis: c.url, partitionLeaseMs: 3000 });
      try {
        await bus.bootstrap();
        await prefill(bus, n);
        // Events per master, from where each partition's stream key lives.
        const perMaster = new Map<string, number>();
        for (const p of partitionKeys(catalog.streams.ledger!)) {
          const master = (await c.masterOf(p.key)).address;
          perMaster.set(master, (perMaster.get(master) ?? 0) + (await c.admin.xlen(p.key)));
        }
        const before = await mastersCpu(c);
        // Concurrency applies per partition: the same handlers in flight in all.
        const { ms, cpu } = await consume(bus, n, Math.ceil(CONCURRENCY / PARTITIONS));
        const after = await mastersCpu(c);
        const rate = ratePerSecond(n, 0, ms);
        let serverTotal = 0;
        const nodes: string[] = [];
        /** Events/s each master could serve with a core of its own, at the CPU cost measured. */
        const capacities: number[] = [];
        for (const [address, events] of perMaster) {
          const used = (after.get(address) ?? 0) - (before.get(address) ?? 0);
          serverTotal += used;
          const perCpuSecond = used > 0 ? events / used : Number.POSITIVE_INFINITY;
          capacities.push(perCpuSecond * (events > 0 ? n / events : 0));
          nodes.push(
            `${address}: ${events} events, ${(used * 1000).toFixed(0)} ms CPU (${Math.round(perCpuSecond)} events per CPU-second)`,
          );
        }
        // One consumer process per machine (a third of the events each), one master per machine.
        const clientPerCpuSecond = n / cpu;
        const machines = perMaster.size;
        const serverCeiling = Math.min(...capacities);
        const separateMachines = Math.min(clientPerCpuSecond * machines, serverCeiling);
        log(
          `    cluster-${PARTITIONS}p run: ${Math.round(rate)} events/s; consumer ${Math.round(clientPerCpuSecond)} events per CPU-second; ` +
            `masters: ${nodes.join('; ')}; estimate on ${machines} machines: ${Math.round(separateMachines)} events/s`,
        );
        return {
          rate,
          clientCpu: (cpu * 1e6) / n,
          serverCpu: (serverTotal * 1e6) / n,
          separateMachines,
        };
      } finally {
        await bus.close({ timeoutMs: 100 });
        await c.deleteKeys(`{${catalog.namespace}:*`);
      }
    },
  };
}

export function partitionsCase(quick: boolean, log: (line: string) => void): Case {
  const n = quick ? 2000 : 30_000;
  return {
    name: 'partitions',
    title: `Partitioned stream (${PARTITIONS} partitions) on a 3-master cluster against one stream on one node, same machine`,
    metrics: METRICS,
    setup: async () => {
      cluster = await startRedisCluster();
    },
    teardown: async () => {
      await cluster?.stop();
      cluster = undefined;
    },
    variants: [oneNode(n, log), clusterPartitioned(n, log)],
    checks: [
      {
        label: `consume rate: ${PARTITIONS} partitions on the cluster / one stream on one node (same machine)`,
        value: `partitions/cluster-${PARTITIONS}p/rate`,
        over: 'partitions/one-node/rate',
      },
      {
        label:
          'estimate on separate machines: cluster (one consumer + one master per machine) / one node (one consumer, one server)',
        value: `partitions/cluster-${PARTITIONS}p/separateMachines`,
        over: 'partitions/one-node/separateMachines',
      },
    ],
    note:
      `${n} pre-filled events, one subscription, ${CONCURRENCY} handlers in flight in all (${CONCURRENCY / PARTITIONS} per partition), no-op handlers. ` +
      'Same machine: the 6 cluster nodes and the consumer share its cores, so on 2 cores this shows the overhead ' +
      '(a reader per partition, 6 redis-servers, leases) more than the gain; "separateMachines" estimates one ' +
      'consumer process and one master per machine from the per-CPU-second rates measured (per-node figures above the table), ' +
      'against one consumer and one server (one stream keeps per-key order across a group only with one consumer).',
  };
}
