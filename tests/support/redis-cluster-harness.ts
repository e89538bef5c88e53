/**
 * A local Redis Cluster per test file: 3 masters and 3 replicas of
 * `redis-server --cluster-enabled yes` on free loopback ports (each port and
 * its cluster bus port, port + 10000, free), in temp directories, joined
 * with `redis-cli --cluster create ... --cluster-replicas 1`. `stop()` kills
 * them and removes the directories.
 *
 * Fault helpers: kill -9 a master and wait for its replica to take over,
 * `CLUSTER FAILOVER` on a replica, the node owning a key's slot, and moving
 * a slot to another master (CLUSTER SETSLOT IMPORTING/MIGRATING, MIGRATE of
 * its keys, SETSLOT NODE), the way `redis-cli --cluster reshard` does it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { waitFor } from './wait.js';

/** One node of the local cluster. */
export interface ClusterNode {
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** Whether its process runs (false after `kill9`). */
  readonly running: boolean;
}

/** How {@link RedisClusterServer.migrateSlot} moves the keys of a slot. */
export interface MigrateOptions {
  /** Keys to move before the others (say, a stream, so the rest of the slot moves while it is on the target). */
  readonly first?: readonly string[];
  /** Keys per MIGRATE. @default 10 */
  readonly batch?: number;
  /** Awaited after each MIGRATE (load keeps running meanwhile). */
  readonly between?: () => Promise<void>;
}

/** Options of {@link startRedisCluster}. */
export interface StartClusterOptions {
  /** `cluster-node-timeout`: how long a silent master takes to be failed over. @default 2000 */
  readonly nodeTimeoutMs?: number;
}

/** A running local cluster. */
export interface RedisClusterServer {
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3` (the first masters as seeds). */
  readonly url: string;
  readonly nodes: readonly ClusterNode[];
  /** An ioredis Cluster for the test's own commands; the harness quits it in `stop()`. */
  readonly admin: Cluster;
  /** A plain connection to one node; the harness quits it in `stop()`. */
  nodeClient(node: ClusterNode): Redis;
  /** The master serving the slot of `key`, as the cluster says now. */
  masterOf(key: string): Promise<ClusterNode>;
  /** The masters, as the cluster says now. */
  masters(): Promise<ClusterNode[]>;
  /** The replicas of `master`. */
  replicasOf(master: ClusterNode): Promise<ClusterNode[]>;
  /**
   * SIGKILL `node`, run `afterKill` (resume a paused replica, say) and, for a
   * master, wait until a replica took over its slots and the cluster is ok.
   */
  kill9(node: ClusterNode, afterKill?: () => void): Promise<void>;
  /** Starts a killed node again (it rejoins, as a replica when it was failed over). */
  restart(node: ClusterNode): Promise<void>;
  /** SIGSTOP `node` (it reads nothing, answers nothing) until {@link resume}. */
  pause(node: ClusterNode): void;
  /** SIGCONT a paused node. */
  resume(node: ClusterNode): void;
  /** `CLUSTER FAILOVER` on `replica`; waits until it is a master and the cluster is ok. */
  failover(replica: ClusterNode): Promise<void>;
  /**
   * Moves the slot of `key` to `target`: the keys of `first` (if any), then the
   * others in batches of `batch`, awaiting `between` after each MIGRATE.
   */
  migrateSlot(key: string, target: ClusterNode, options?: MigrateOptions): Promise<void>;
  /** Deletes every key matching `pattern` on every master. */
  deleteKeys(pattern: string): Promise<void>;
  /** Waits until every running node reports `cluster_state:ok`, agrees on the slot owners, and every replica is in sync. */
  waitUntilOk(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Whether `redis-server` and `redis-cli` are installed (the cluster harness needs both). */
/**
 * The MOVED, ASK and CROSSSLOT replies every node of `cluster` has sent since
 * it started (INFO errorstats): a workload whose commands all go to the
 * right node leaves them unchanged.
 */
export async function redirections(cluster: RedisClusterServer): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const node of cluster.nodes) {
    const stats = await cluster.nodeClient(node).info('errorstats');
    for (const [, name, count] of stats.matchAll(/errorstat_(MOVED|ASK|CROSSSLOT):count=(\d+)/g)) {
      counts[name!] = (counts[name!] ?? 0) + Number(count);
    }
  }
  return counts;
}

export function hasClusterBinaries(): boolean {
  return (
    spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0 &&
    spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status === 0
  );
}

class LocalNode implements ClusterNode {
  readonly address: string;
  process: ChildProcess | undefined;

  constructor(
    readonly port: number,
    readonly dir: string,
    private readonly nodeTimeoutMs: number,
  ) {
    this.address = `127.0.0.1:${port}`;
  }

  get running(): boolean {
    return this.process !== undefined;
  }

  async launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-node-timeout',
      String(this.nodeTimeoutMs),
      // A replica may always be promoted, however long it was cut off (a loaded test machine).
      '--cluster-replica-validity-factor',
      '0',
      // A replica's first sync starts at once (the default waits 5 s for more replicas).
      '--repl-diskless-sync-delay',
      '0',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--logfile',
      join(this.dir, 'redis.log'),
    ];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.process = child;
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `redis-server on ${this.port} exited (code ${code}, signal ${signal})`;
      if (this.process === child) this.process = undefined;
    });
    await waitFor(
      async () => {
        if (exited) throw new Error(`${exited}${await this.logTail()}`);
        return ping(this.port);
      },
      () => `redis-server on port ${this.port} to answer PING`,
      { timeoutMs: 15_000, intervalMs: 50 },
    ).catch(async (error) => {
      throw new Error(`${(error as Error).message}${await this.logTail()}`);
    });
  }

  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  async logTail(): Promise<string> {
    const log = await readFile(join(this.dir, 'redis.log'), 'utf8').catch(() => '');
    return `; redis.log of ${this.port}:\n${log.split('\n').slice(-15).join('\n')}`;
  }
}

async function ping(port: number): Promise<boolean> {
  const probe = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `n` ports below 55535 whose cluster bus ports (+10000) are free too, none closer than 2 apart. */
async function freeClusterPorts(n: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < n) {
    const port = 20_000 + Math.floor(Math.random() * 25_000);
    if (ports.some((p) => Math.abs(p - port) < 2)) continue;
    if ((await bindable(port)) && (await bindable(port + 10_000))) ports.push(port);
  }
  return ports;
}

/** Parsed `CLUSTER NODES` lines. */
interface NodeLine {
  readonly id: string;
  readonly address: string;
  readonly master: boolean;
  readonly failed: boolean;
  readonly masterId: string;
  readonly slots: readonly [number, number][];
}

function parseNodes(text: string): NodeLine[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id, addr, flags, masterId, , , , , ...slots] = line.split(' ');
      return {
        id: id!,
        address: addr!.split('@')[0]!,
        master: flags!.includes('master'),
        failed: /fail/.test(flags!),
        masterId: masterId!,
        slots: slots
          .filter((s) => /^\d+(-\d+)?$/.test(s))
          .map((s) => {
            const [a, b] = s.split('-');
            return [Number(a), Number(b ?? a)] as [number, number];
          }),
      };
    });
}

/** Starts a 3-master, 3-replica cluster (see the module comment). */
export async function startRedisCluster(
  options: StartClusterOptions = {},
): Promise<RedisClusterServer> {
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 2000;
  for (let attempt = 0; ; attempt++) {
    const ports = await freeClusterPorts(6);
    const nodes: LocalNode[] = [];
    try {
      for (const port of ports) {
        const dir = await mkdtemp(join(tmpdir(), 'schemabus-cluster-'));
        nodes.push(new LocalNode(port, dir, nodeTimeoutMs));
      }
      await Promise.all(nodes.map((n) => n.launch()));
      await createCluster(nodes);
      const server = new LocalCluster(nodes);
      await server.waitUntilOk(30_000);
      return server;
    } catch (error) {
      await Promise.all(nodes.map((n) => n.kill()));
      await Promise.all(nodes.map((n) => rm(n.dir, { recursive: true, force: true })));
      if (attempt >= 2) throw error;
    }
  }
}

async function createCluster(nodes: readonly LocalNode[]): Promise<void> {
  const args = ['--cluster', 'create', ...nodes.map((n) => n.address)];
  args.push('--cluster-replicas', '1', '--cluster-yes');
  const child = spawn('redis-cli', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) {
    throw new Error(`redis-cli --cluster create failed (exit ${code}):\n${output.slice(-2000)}`);
  }
}

class LocalCluster implements RedisClusterServer {
  readonly url: string;
  readonly admin: Cluster;
  private readonly clients: Redis[] = [];

  constructor(private readonly local: LocalNode[]) {
    this.url = `redis+cluster://${local
      .slice(0, 3)
      .map((n) => n.address)
      .join(',')}`;
    this.admin = new Cluster(
      local.map((n) => ({ host: '127.0.0.1', port: n.port })),
      { retryDelayOnFailover: 200, retryDelayOnClusterDown: 200, maxRedirections: 64 },
    );
    this.admin.on('error', () => {});
    this.admin.on('node error', () => {});
  }

  get nodes(): readonly ClusterNode[] {
    return this.local;
  }

  nodeClient(node: ClusterNode): Redis {
    const client = new Redis(node.port, '127.0.0.1', {
      maxRetriesPerRequest: 1,
      retryStrategy: (times) => (times > 20 ? null : 100),
    });
    client.on('error', () => {});
    this.clients.push(client);
    return client;
  }

  /** CLUSTER NODES as seen by a running node. */
  private async topology(): Promise<NodeLine[]> {
    let lastError: unknown;
    for (const node of this.local.filter((n) => n.running)) {
      const client = this.probe(node);
      try {
        return parseNodes(String(await client.cluster('NODES')));
      } catch (error) {
        lastError = error;
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`no node answered CLUSTER NODES: ${String(lastError)}`);
  }

  private probe(node: ClusterNode): Redis {
    const client = new Redis(node.port, '127.0.0.1', {
      lazyConnect: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 1000,
    });
    client.on('error', () => {});
    return client;
  }

  private node(address: string): LocalNode {
    const node = this.local.find((n) => n.address === address);
    if (node === undefined) throw new Error(`no local node at ${address}`);
    return node;
  }

  async masterOf(key: string): Promise<ClusterNode> {
    const slot = Number(await this.admin.cluster('KEYSLOT', key));
    const owner = (await this.topology()).find(
      (n) => n.master && !n.failed && n.slots.some(([a, b]) => slot >= a && slot <= b),
    );
    if (owner === undefined) throw new Error(`no master serves slot ${slot}`);
    return this.node(owner.address);
  }

  async masters(): Promise<ClusterNode[]> {
    return (await this.topology())
      .filter((n) => n.master && !n.failed && n.slots.length > 0)
      .map((n) => this.node(n.address));
  }

  async replicasOf(master: ClusterNode): Promise<ClusterNode[]> {
    const lines = await this.topology();
    const id = lines.find((n) => n.address === master.address)?.id;
    return lines
      .filter((n) => !n.master && !n.failed && n.masterId === id)
      .map((n) => this.node(n.address));
  }

  async kill9(node: ClusterNode, afterKill?: () => void): Promise<void> {
    const wasMaster = (await this.masters()).some((m) => m.address === node.address);
    await this.node(node.address).kill();
    afterKill?.();
    if (!wasMaster) return;
    await waitFor(
      async () => {
        const lines = await this.topology();
        const dead = lines.find((n) => n.address === node.address);
        return dead !== undefined && (dead.slots.length === 0 || !dead.master);
      },
      () => `a replica of ${node.address} to take over its slots`,
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    await this.waitUntilOk(30_000);
  }

  async restart(node: ClusterNode): Promise<void> {
    await this.node(node.address).launch();
    await this.waitUntilOk(30_000);
  }

  pause(node: ClusterNode): void {
    this.node(node.address).process?.kill('SIGSTOP');
  }

  resume(node: ClusterNode): void {
    this.node(node.address).process?.kill('SIGCONT');
  }

  async failover(replica: ClusterNode): Promise<void> {
    const client = this.probe(replica);
    const isMaster = async () => /role:master/.test(await client.info('replication'));
    try {
      // A manual failover waits for the replica to reach the master's offset and
      // gives up silently after 5 s (Redis's CLUSTER_MF_TIMEOUT), which a loaded
      // machine can miss: ask again, a few times, before calling it a failure.
      for (let attempt = 1; !(await isMaster()); attempt++) {
        await client.cluster('FAILOVER');
        try {
          await waitFor(isMaster, () => `${replica.address} to become a master`, {
            timeoutMs: 8_000,
            intervalMs: 50,
          });
        } catch (error) {
          if (attempt === 4)
            throw new Error(
              `${replica.address} did not become a master after ${attempt} CLUSTER FAILOVERs`,
              { cause: error },
            );
        }
      }
    } finally {
      client.disconnect();
    }
    await this.waitUntilOk(30_000);
  }

  async migrateSlot(key: string, target: ClusterNode, options: MigrateOptions = {}): Promise<void> {
    const slot = Number(await this.admin.cluster('KEYSLOT', key));
    const source = await this.masterOf(key);
    if (source.address === target.address)
      throw new Error(`slot ${slot} is on ${target.address} already`);
    const lines = await this.topology();
    const idOf = (n: ClusterNode) => lines.find((l) => l.address === n.address)!.id;
    const from = this.probe(source);
    const to = this.probe(target);
    try {
      await to.cluster('SETSLOT', slot, 'IMPORTING', idOf(source));
      await from.cluster('SETSLOT', slot, 'MIGRATING', idOf(target));
      if (options.first?.length) {
        await from.migrate('127.0.0.1', target.port, '', 0, 10_000, 'KEYS', ...options.first);
        await options.between?.();
      }
      for (;;) {
        const keys = (await from.cluster('GETKEYSINSLOT', slot, options.batch ?? 10)) as string[];
        if (keys.length === 0) break;
        await from.migrate('127.0.0.1', target.port, '', 0, 10_000, 'KEYS', ...keys);
        await options.between?.();
      }
      await to.cluster('SETSLOT', slot, 'NODE', idOf(target));
      await from.cluster('SETSLOT', slot, 'NODE', idOf(target));
      for (const master of await this.masters()) {
        if (master.address === source.address || master.address === target.address) continue;
        const other = this.probe(master);
        await other
          .cluster('SETSLOT', slot, 'NODE', idOf(target))
          .finally(() => other.disconnect());
      }
    } finally {
      from.disconnect();
      to.disconnect();
    }
    await this.waitUntilOk(30_000);
  }

  async deleteKeys(pattern: string): Promise<void> {
    for (const master of await this.masters()) {
      const client = this.probe(master);
      try {
        const keys = (await client.keys(pattern)) as string[];
        for (const key of keys) await client.del(key);
      } catch {
        // a node going away: the test's namespace is unique anyway
      } finally {
        client.disconnect();
      }
    }
  }

  async waitUntilOk(timeoutMs = 20_000): Promise<void> {
    let last = '';
    await waitFor(
      async () => {
        const running = this.local.filter((n) => n.running);
        const views: string[] = [];
        for (const node of running) {
          const client = this.probe(node);
          try {
            const info = String(await client.cluster('INFO'));
            if (!/cluster_state:ok/.test(info)) {
              last = `${node.address}: ${info.split('\r\n')[0]}`;
              return false;
            }
            // A replica counts once it is in sync with its master.
            const replication = await client.info('replication');
            if (/role:slave/.test(replication) && !/master_link_status:up/.test(replication)) {
              last = `${node.address}: replica not in sync yet`;
              return false;
            }
            const owners = parseNodes(String(await client.cluster('NODES')))
              .filter((n) => n.master && n.slots.length > 0 && !n.failed)
              .map((n) => `${n.address}=${JSON.stringify(n.slots)}`)
              .sort()
              .join(' ');
            views.push(owners);
          } finally {
            client.disconnect();
          }
        }
        last = `views differ: ${views.join(' | ')}`;
        return views.every((v) => v === views[0]);
      },
      () => `every node of the cluster to be ok (${last})`,
      { timeoutMs, intervalMs: 100 },
    );
  }

  async stop(): Promise<void> {
    this.admin.disconnect();
    for (const client of this.clients.splice(0)) client.disconnect();
    await Promise.all(this.local.map((n) => n.kill()));
    await Promise.all(this.local.map((n) => rm(n.dir, { recursive: true, force: true })));
  }
}
