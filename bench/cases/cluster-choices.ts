/**
 * The two designs the bus chose on a Redis Cluster, measured against what
 * they were chosen over, on a local 3-master, 3-replica cluster (raw
 * ioredis on both sides, so the design is measured, not the bus):
 *
 * - Readers: one blocking `XREADGROUP ... BLOCK` connection per stream (what
 *   the bus does) against one connection per master reading all its streams.
 *   A blocking read of several streams on one connection needs them in one
 *   slot (CROSSSLOT otherwise), so per master means polling without BLOCK,
 *   here every 10 ms, each stream of the master pipelined. Measured: end to
 *   end latency at 300 events/s over 6 streams, and the commands the masters
 *   run per second while idle.
 * - Realtime: classic PUBLISH (what the bus does: patterns work, and the
 *   publish of a stream event can go inside its script) against sharded
 *   SPUBLISH/SSUBSCRIBE (no patterns; the channel's slot decides the shard).
 *   Measured: delivered messages per second with 100 in flight, and the CPU
 *   every node of the cluster spends per message (a classic PUBLISH reaches
 *   all 6 nodes over the cluster bus, a sharded one the shard's 2).
 */
import { Cluster, Redis } from 'ioredis';
import {
  type RedisClusterServer,
  startRedisCluster,
} from '../../tests/support/redis-cluster-harness.js';
import { LatencyRecorder, sendPaced } from '../support/pacer.js';
import { runInFlight } from '../support/redis-helpers.js';
import { ratePerSecond } from '../support/stats.js';
import type { Case, Metric, Variant } from '../support/types.js';

const METRICS: Metric[] = [
  { name: 'p50', unit: 'ms', better: 'lower' },
  { name: 'p99', unit: 'ms', better: 'lower' },
  { name: 'idle', unit: 'commands/s', better: 'lower' },
  { name: 'rate', unit: 'messages/s', better: 'higher' },
  { name: 'cpu', unit: 'µs/message', better: 'lower' },
];

const STREAMS = 6;
const GROUP = 'g';

let cluster: RedisClusterServer | undefined;

function nodeOf(c: RedisClusterServer, address: string): Redis {
  const node = c.nodes.find((n) => n.address === address)!;
  return c.nodeClient(node);
}

/** The stream keys (one hash tag each) and the master of each. */
async function streams(c: RedisClusterServer): Promise<StreamKey[]> {
  const out: StreamKey[] = [];
  for (let i = 0; i < STREAMS; i++) {
    const key = `{bench:s${i}}`;
    out.push({ key, master: (await c.masterOf(key)).address });
  }
  return out;
}

/** Commands all masters ran per second over `ms` of idling. */
async function idleCommandsPerSecond(c: RedisClusterServer, ms: number): Promise<number> {
  const masters = await c.masters();
  const total = async () => {
    let n = 0;
    for (const m of masters) {
      const info = await nodeOf(c, m.address).info('stats');
      n += Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
    }
    return n;
  };
  const before = await total();
  await new Promise((resolve) => setTimeout(resolve, ms));
  // The INFO calls themselves: one per master, before the second reading.
  return ((await total()) - before - masters.length) / (ms / 1000);
}

/** CPU seconds (user + sys) every node of the cluster used so far. */
async function clusterCpu(c: RedisClusterServer): Promise<number> {
  let sum = 0;
  for (const node of c.nodes) {
    const info = await c.nodeClient(node).info('cpu');
    sum += Number(/used_cpu_user:([\d.]+)/.exec(info)?.[1] ?? 0);
    sum += Number(/used_cpu_sys:([\d.]+)/.exec(info)?.[1] ?? 0);
  }
  return sum;
}

interface Readers {
  stop(): void;
}

type StreamKey = { key: string; master: string };

/** Starts readers of `keys` handing each entry's fields to `onEntry`. */
type OpenReaders = (keys: StreamKey[], onEntry: (fields: string[]) => void) => Readers;

/** One blocking reader connection per stream. */
const perStream: OpenReaders = (keys, onEntry) => {
  let stopped = false;
  const conns = keys.map(({ key, master }) => {
    const [host, port] = master.split(':');
    const r = new Redis(Number(port), host!);
    void (async () => {
      while (!stopped) {
        const reply = (await r
          .xreadgroup('GROUP', GROUP, 'c', 'COUNT', 100, 'BLOCK', 2000, 'STREAMS', key, '>')
          .catch(() => null)) as [string, [string, string[]][]][] | null;
        for (const [, entries] of reply ?? []) for (const [, f] of entries) onEntry(f);
      }
    })();
    return r;
  });
  return stopper(conns, () => {
    stopped = true;
  });
};

function stopper(conns: Redis[], stop: () => void): Readers {
  return {
    stop: () => {
      stop();
      for (const r of conns) r.disconnect();
    },
  };
}

/** One connection per master, polling its streams every `everyMs` (pipelined, no BLOCK). */
function perNode(keys: StreamKey[], everyMs: number, onEntry: (fields: string[]) => void): Readers {
  let stopped = false;
  const byMaster = new Map<string, string[]>();
  for (const { key, master } of keys) byMaster.set(master, [...(byMaster.get(master) ?? []), key]);
  const conns = [...byMaster].map(([master, ks]) => {
    const [host, port] = master.split(':');
    const r = new Redis(Number(port), host!);
    void (async () => {
      while (!stopped) {
        const pipeline = r.pipeline();
        for (const k of ks)
          pipeline.xreadgroup('GROUP', GROUP, 'c', 'COUNT', 100, 'STREAMS', k, '>');
        const replies = (await pipeline.exec().catch(() => [])) ?? [];
        for (const [, reply] of replies) {
          for (const [, entries] of (reply as [string, [string, string[]][]][] | null) ?? []) {
            for (const [, f] of entries) onEntry(f);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    })();
    return r;
  });
  return stopper(conns, () => {
    stopped = true;
  });
}

function readerVariant(name: string, open: OpenReaders, count: number): Variant {
  return {
    name,
    run: async () => {
      const c = cluster!;
      const keys = await streams(c);
      for (const { key } of keys) {
        await c.admin.del(key);
        await c.admin.xgroup('CREATE', key, GROUP, '$', 'MKSTREAM');
      }
      const recorder = new LatencyRecorder(count);
      const readers = open(keys, (fields) => recorder.recordSince(Number(fields[1])));
      try {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const idle = await idleCommandsPerSecond(c, 1000);
        await sendPaced(300, count, (i) => {
          void c.admin.xadd(keys[i % keys.length]!.key, '*', 't', String(performance.now()));
        });
        await recorder.waitFor(count, 20_000);
        const { p50, p99 } = recorder.summary();
        return { p50: p50!, p99: p99!, idle };
      } finally {
        readers.stop();
      }
    },
  };
}

function realtimeVariant(name: string, sharded: boolean, count: number): Variant {
  return {
    name,
    run: async () => {
      const c = cluster!;
      const channel = 'bench:rt';
      const owner = await c.masterOf(channel);
      const [host, port] = owner.address.split(':');
      const sub = new Redis(Number(port), host!);
      let received = 0;
      sub.on(sharded ? 'smessage' : 'message', () => void received++);
      await (sharded ? sub.ssubscribe(channel) : sub.subscribe(channel));
      const pub = new Cluster(
        c.nodes.slice(0, 3).map((n) => ({ host: '127.0.0.1', port: n.port })),
      );
      try {
        await pub.ping();
        const cpuBefore = await clusterCpu(c);
        const t0 = performance.now();
        await runInFlight(count, 100, () =>
          sharded ? pub.spublish(channel, 'x'.repeat(300)) : pub.publish(channel, 'x'.repeat(300)),
        );
        while (received < count) await new Promise((resolve) => setTimeout(resolve, 5));
        const rate = ratePerSecond(count, t0, performance.now());
        const cpu = (((await clusterCpu(c)) - cpuBefore) * 1e6) / count;
        return { rate, cpu };
      } finally {
        sub.disconnect();
        pub.disconnect();
      }
    },
  };
}

export function clusterChoicesCase(quick: boolean): Case {
  const events = quick ? 300 : 3000;
  const messages = quick ? 2000 : 50_000;
  return {
    name: 'cluster',
    title: 'Redis Cluster: readers per stream or per master; realtime classic or sharded',
    metrics: METRICS,
    setup: async () => {
      cluster = await startRedisCluster();
    },
    teardown: async () => {
      await cluster?.stop();
      cluster = undefined;
    },
    variants: [
      readerVariant('readers-per-stream', perStream, events),
      readerVariant('readers-per-master-poll10', (k, on) => perNode(k, 10, on), events),
      realtimeVariant('realtime-publish', false, messages),
      realtimeVariant('realtime-spublish', true, messages),
    ],
    checks: [
      {
        label: 'idle commands/s: readers per master (polling every 10 ms) / per stream (BLOCK 2 s)',
        value: 'cluster/readers-per-master-poll10/idle',
        over: 'cluster/readers-per-stream/idle',
      },
      {
        label: 'cluster CPU per realtime message: PUBLISH / SPUBLISH',
        value: 'cluster/realtime-publish/cpu',
        over: 'cluster/realtime-spublish/cpu',
      },
    ],
    note: "6 streams over 3 masters, 300 events/s; realtime: 300-byte messages, 100 in flight, one subscriber on the channel slot's master",
  };
}
