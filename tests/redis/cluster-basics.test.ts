/**
 * RedisEventBus and the CLI on a local Redis Cluster (3 masters, 3
 * replicas): every command goes straight to the master of its stream's slot
 * (no MOVED, ASK or CROSSSLOT reply anywhere), readers connect to that
 * master, a ready ioredis Cluster can be given instead of a URL, and
 * bootstrap, inspect, tail, dlq and demo run on a `redis+cluster://` URL.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBootstrap } from '../../cli/commands/bootstrap.js';
import { runDemoCommand } from '../../cli/commands/demo.js';
import { runDlq } from '../../cli/commands/dlq.js';
import { runInspect } from '../../cli/commands/inspect.js';
import { runTail } from '../../cli/commands/tail.js';
import { loadCatalog } from '../../generator/catalog/index.js';
import { NonRetryableError, RedisEventBus } from '../../runtime/index.js';
import { partitionKeys, partitionOf } from '../../runtime/internal/partitions.js';
import { jobs } from '../contract/helpers.js';
import { onCleanup, testCatalog } from '../support/redis-bus.js';
import {
  type RedisClusterServer,
  redirections,
  startRedisCluster,
} from '../support/redis-cluster-harness.js';
import { uniqueNamespace } from '../support/redis-harness.js';
import { collect, waitFor } from '../support/wait.js';

let cluster: RedisClusterServer;

beforeAll(async () => {
  cluster = await startRedisCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

/** A bus on the cluster URL, closed and its keys deleted after the test. */
function clusterBus(options: Partial<ConstructorParameters<typeof RedisEventBus>[0]> = {}) {
  const catalog = options.catalog ?? testCatalog();
  const bus = new RedisEventBus({ redis: cluster.url, ...options, catalog });
  onCleanup(async () => {
    await bus.close({ timeoutMs: 100 });
    await cluster.deleteKeys(`{${catalog.namespace}:*`);
  });
  return { bus, catalog };
}

describe('RedisEventBus on a Redis Cluster', () => {
  it('sends every command to the master of its stream slot: no MOVED, ASK or CROSSSLOT anywhere', async () => {
    const { bus, catalog } = clusterBus({ idempotentPublish: true });
    await bus.waitUntilReady();
    const owners = new Set<string>();
    for (const stream of Object.values(catalog.streams)) {
      owners.add((await cluster.masterOf(stream.key)).address);
    }
    for (const node of cluster.nodes) await cluster.nodeClient(node).config('RESETSTAT');

    await bus.bootstrap();
    const handled: string[] = [];
    const subscription = bus.subscribe(
      'workers',
      {
        'job.requested': async (event) => {
          const { seq } = event.data as { seq: number };
          if (seq === 3) throw new NonRetryableError('three is broken');
          handled.push(event.id);
        },
      },
      { consumer: 'c1', concurrency: 4 },
    );
    const realtime: string[] = [];
    await bus.onRealtime('order-status', {}, (event) => {
      realtime.push(event.id);
    });
    await Promise.all(jobs(20).map((j) => bus.publish(j.type, j.data)));
    await bus.publishBatch([
      ...jobs(5),
      {
        type: 'order.cancelled',
        data: { orderId: crypto.randomUUID(), reason: 'changed mind' },
      },
    ]);
    // jobs 3 of both rounds are dead-lettered.
    await collect(handled, 23);
    await collect(realtime, 1);
    const [dead] = await waitFor(async () => {
      const list = await bus.dlq('jobs').list();
      return list.length === 2 ? list : undefined;
    });
    await bus.dlq('jobs').replay(dead!.id);
    const inspection = await bus.inspect();
    expect(inspection.streams.find((s) => s.name === 'jobs')?.length).toBe(26);
    const tail = bus.tail('jobs', { from: '0' });
    expect((await tail.next()).value?.decoded.ok).toBe(true);
    await tail.return(undefined);
    await subscription.close();

    expect(await redirections(cluster)).toEqual({});
    // The test catalogue's streams live on more than one master.
    expect(owners.size).toBeGreaterThan(1);
  });

  it('routes each event of a partitioned stream to the master of its partition key: over several masters, no MOVED', async () => {
    const { bus, catalog } = clusterBus({ idempotentPublish: true });
    await bus.waitUntilReady();
    const ledger = catalog.streams.ledger!;
    const owners = new Set<string>();
    for (const p of partitionKeys(ledger)) owners.add((await cluster.masterOf(p.key)).address);
    for (const node of cluster.nodes) await cluster.nodeClient(node).config('RESETSTAT');
    await bus.bootstrap();
    const accounts = Array.from({ length: 12 }, (_, i) => `acc-${i}`);
    await Promise.all(
      accounts.map((accountId, seq) =>
        bus.publish('ledger.credited', { accountId, seq, amount: 1 }),
      ),
    );
    await bus.publishBatch(
      accounts.map((accountId, seq) => ({
        type: 'ledger.debited',
        data: { accountId, seq, amount: 2 },
      })),
    );
    await bus.publish(
      'ledger.credited',
      { accountId: 'acc-0', seq: 99, amount: 3 },
      { waitForReplicas: { replicas: 1, timeoutMs: 2000 } },
    );
    const inspection = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!;
    expect(inspection.length).toBe(2 * accounts.length + 1);
    await bus.dlq('ledger').list();
    for (const p of partitionKeys(ledger)) {
      const entries = await cluster.admin.xrange(p.key, '-', '+');
      for (const [, fields] of entries) {
        const { accountId } = JSON.parse(fields[fields.indexOf('v1') + 1]!).data;
        expect(partitionOf(accountId, ledger.partitions!.count)).toBe(p.index);
      }
    }
    expect(await redirections(cluster)).toEqual({});
    expect(owners.size).toBeGreaterThan(1);
  });

  it('reads each stream on a connection to the master of its slot', async () => {
    const { bus, catalog } = clusterBus();
    const subscription = bus.subscribe(
      'billing',
      { 'order.placed': async () => {}, 'order.cancelled': async () => {} },
      { consumer: 'reader-test' },
    );
    const owner = await cluster.masterOf(catalog.streams.orders!.key);
    await waitFor(
      async () =>
        String(await cluster.nodeClient(owner).client('LIST')).includes(
          'name=schemabus:billing:reader-test',
        ),
      () => `the reader connected to ${owner.address}`,
    );
    await subscription.close();
  });

  it('takes a ready ioredis Cluster, and leaves it open when it closes', async () => {
    const given = new Cluster(cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })));
    onCleanup(() => given.disconnect());
    const { bus } = clusterBus({ redis: given });
    await bus.waitUntilReady();
    const handled: unknown[] = [];
    bus.subscribe('workers', { 'job.requested': async (event) => void handled.push(event) });
    await bus.publishBatch(jobs(3));
    await collect(handled, 3);
    await bus.close();
    expect(given.status).toBe('ready');
    expect(await given.ping()).toBe('PONG');
  });
});

describe('the CLI on a Redis Cluster', () => {
  let dir = '';
  let namespace = '';
  beforeAll(async () => {
    namespace = uniqueNamespace('cli');
    dir = await mkdtemp(join(tmpdir(), 'schemabus-cluster-cli-'));
    const text = (
      await readFile(new URL('../../events.schema.yaml', import.meta.url), 'utf8')
    ).replace(/^namespace: .*$/m, `namespace: ${namespace}`);
    await writeFile(join(dir, 'events.schema.yaml'), text);
  });
  afterAll(async () => {
    await cluster?.deleteKeys(`{${namespace}:*`);
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('bootstrap, inspect, tail and dlq take a redis+cluster:// URL', async () => {
    const context = { cwd: dir };
    const redis = cluster.url;
    const boot = await runBootstrap({ redis }, context);
    expect(boot.stderr).toBe('');
    expect(boot.stdout).toContain('bootstrap done: created 4 streams and 9 groups');
    const text = await readFile(join(dir, 'events.schema.yaml'), 'utf8');
    const loaded = loadCatalog(text, 'events.schema.yaml');
    if (!loaded.ok) throw new Error('catalogue invalid');
    const bus = new RedisEventBus({ catalog: loaded.model.catalog, redis });
    onCleanup(() => bus.close({ timeoutMs: 100 }));
    await bus.publish('system.health-checked', {
      component: 'db',
      healthy: true,
      checkedAt: new Date().toISOString(),
    });
    const inspect = await runInspect({ redis, json: true }, context);
    expect(inspect.stderr).toBe('');
    const report = JSON.parse(inspect.stdout) as { streams: { name: string; length: number }[] };
    expect(report.streams.find((s) => s.name === 'system-events')?.length).toBe(1);
    const tail = await runTail({ redis, streams: ['system-events'], from: '0', count: 1 }, context);
    expect(tail.exitCode).toBe(0);
    expect(tail.stdout).toContain('system.health-checked');
    const dlq = await runDlq({ redis, action: 'list', stream: 'notification-events' }, context);
    expect(dlq.stderr).toBe('');
    expect(dlq.exitCode).toBe(0);
  });

  it('demo runs end to end on the cluster', async () => {
    const outcome = await runDemoCommand({ redis: cluster.url }, { cwd: dir });
    expect(outcome.stderr).toBe('');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.stdout).toContain('replayed from the DLQ');
  });

  it('says what a wrong cluster URL is', async () => {
    const outcome = await runInspect({ redis: 'redis+cluster://127.0.0.1:7000/3' }, { cwd: dir });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toContain('a Redis Cluster has only database 0');
  });
});
