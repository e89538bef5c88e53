/**
 * What waiting for a replica costs (`waitForReplicas: { replicas: 1 }`,
 * Redis WAIT after the writes, on a connection of its own): the bench's
 * server gets a replica (a second redis-server on loopback, REPLICAOF), and
 * the generated publisher publishes with and without the option, 1000 in
 * flight (publishes of one tick share one WAIT) and one awaited at a time
 * (each pays a WAIT round trip and the replica's acknowledgement).
 */

import { RedisEventBus } from '../../runtime/index.js';
import { campaignCreated } from '../support/payload.js';
import { connect, runInFlight } from '../support/redis-helpers.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { catalog, createPublisher } from '../support/schemabus.js';
import { ratePerSecond } from '../support/stats.js';
import type { BenchContext, Case, Check, Metric, Variant } from '../support/types.js';

const RATE: Metric = { name: 'rate', unit: 'events/s', better: 'higher' };
const WAIT_ONE = { replicas: 1, timeoutMs: 1000 };

let replica: RedisServer | undefined;

async function startReplica(ctx: BenchContext): Promise<void> {
  replica = await startRedisServer([
    '--replicaof',
    '127.0.0.1',
    String(ctx.port),
    '--repl-diskless-sync-delay',
    '0',
  ]);
  const client = await connect(replica.url);
  try {
    for (let i = 0; i < 200; i++) {
      if (/master_link_status:up/.test(await client.info('replication'))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the replica did not sync within 10 s');
  } finally {
    client.disconnect();
  }
}

function variant(name: string, n: number, inFlight: number, wait: boolean): Variant {
  return {
    name,
    run: async (ctx) => {
      const bus = new RedisEventBus({
        catalog,
        redis: ctx.redisUrl,
        ...(wait && { waitForReplicas: WAIT_ONE }),
      });
      try {
        const publisher = createPublisher(bus);
        const send = () => publisher.campaignCreated(campaignCreated());
        await runInFlight(Math.min(2000, Math.ceil(n / 10)), inFlight, send);
        const t0 = performance.now();
        await runInFlight(n, inFlight, send);
        return { rate: ratePerSecond(n, t0, performance.now()) };
      } finally {
        await bus.close();
      }
    },
  };
}

export function waitReplicasCase(quick: boolean): Case {
  const n = quick ? 1000 : 30_000;
  const nSequential = quick ? 200 : 3000;
  const checks: Check[] = [
    {
      label: 'publish waiting for 1 replica / not waiting (1000 in flight)',
      value: 'wait-replicas/wait1-1000/rate',
      over: 'wait-replicas/nowait-1000/rate',
    },
    {
      label: 'sequential publish waiting for 1 replica / not waiting',
      value: 'wait-replicas/wait1-sequential/rate',
      over: 'wait-replicas/nowait-sequential/rate',
    },
  ];
  return {
    name: 'wait-replicas',
    title: 'publish with and without waitForReplicas 1 (a replica on loopback)',
    metrics: [RATE],
    setup: startReplica,
    teardown: async () => {
      await replica?.stop();
      replica = undefined;
    },
    beforeRun: (ctx) => ctx.admin.flushall().then(() => undefined),
    variants: [
      variant('nowait-1000', n, 1000, false),
      variant('wait1-1000', n, 1000, true),
      variant('nowait-sequential', nSequential, 1, false),
      variant('wait1-sequential', nSequential, 1, true),
    ],
    checks,
    note: 'a fresh 300-byte campaign.created per publish; the WAIT publisher resolves once the replica acknowledged (its own connection, one WAIT per stream per tick)',
  };
}
