/**
 * Load for the cluster fault tests: two publisher buses on one stream, one
 * whose publishes wait for a replica (`waitForReplicas`) and one whose do
 * not, publishing bursts of 10 job events every 10 ms, and a consumer bus
 * handling them; afterwards, what was acknowledged, what the stream still
 * holds, what was handled and how often.
 */

import type { Subscription } from '../../runtime/bus.js';
import type { Catalog } from '../../runtime/catalog.js';
import { decodeEntry, RedisEventBus } from '../../runtime/index.js';
import { onCleanup, testCatalog } from './redis-bus.js';
import type { RedisClusterServer } from './redis-cluster-harness.js';
import { waitFor } from './wait.js';

/** A publisher of the workload. */
type Kind = 'wait' | 'nowait';

/** What one run of the workload found. */
export interface WorkloadReport {
  /** Publishes that resolved. */
  readonly acked: Record<Kind, number>;
  /** Of those, the ones the stream no longer holds: lost in the failover. */
  readonly lost: Record<Kind, number>;
  /** Publishes that failed, per publisher and error class. */
  readonly failed: Record<Kind, Record<string, number>>;
  /** Distinct events handled, and deliveries beyond the first of one event. */
  readonly handled: number;
  readonly duplicates: number;
  /** DataLossError signals of the buses. */
  readonly dataLoss: number;
}

interface Publisher {
  readonly kind: Kind;
  readonly bus: RedisEventBus;
  readonly acked: string[];
  running: Promise<void> | undefined;
}

/** A workload on a fresh test catalogue's `jobs` stream, running, closed after the test, 150 publishes of each kind acknowledged. */
export async function runningWorkload(
  cluster: RedisClusterServer,
): Promise<{ load: ClusterWorkload; key: string }> {
  const catalog = testCatalog();
  const load = new ClusterWorkload(cluster, catalog);
  onCleanup(() => load.close());
  await load.start();
  await load.untilMoreAcked(150);
  return { load, key: catalog.streams.jobs!.key };
}

/** See the module comment. */
export class ClusterWorkload {
  private readonly publishers: Publisher[];
  private readonly consumer: RedisEventBus;
  private subscription: Subscription | undefined;
  private readonly failures: Record<Kind, Record<string, number>> = { wait: {}, nowait: {} };
  /** Handled deliveries per job id. */
  private readonly handled = new Map<string, number>();
  private stopped = false;

  constructor(
    private readonly cluster: RedisClusterServer,
    private readonly catalog: Catalog,
  ) {
    const bus = (kind: Kind) =>
      new RedisEventBus({
        catalog,
        redis: cluster.url,
        ...(kind === 'wait' && { waitForReplicas: { replicas: 1, timeoutMs: 2000 } }),
      });
    this.publishers = (['wait', 'nowait'] as const).map((kind) => ({
      kind,
      bus: bus(kind),
      acked: [],
      running: undefined,
    }));
    this.consumer = new RedisEventBus({ catalog, redis: cluster.url });
  }

  /** Starts consuming and publishing. */
  async start(): Promise<void> {
    await this.consumer.bootstrap();
    this.subscription = this.consumer.subscribe(
      'workers',
      {
        'job.requested': async (event) => {
          const { jobId } = event.data as { jobId: string };
          this.handled.set(jobId, (this.handled.get(jobId) ?? 0) + 1);
        },
      },
      { concurrency: 20 },
    );
    for (const p of this.publishers) p.running = this.publishLoop(p);
  }

  /** Publishes acknowledged so far (both publishers). */
  get acked(): number {
    return this.publishers.reduce((n, p) => n + p.acked.length, 0);
  }

  /** Waits until `n` more publishes than now were acknowledged by each publisher of `kinds`. */
  async untilMoreAcked(
    n: number,
    kinds: readonly Kind[] = ['wait', 'nowait'],
    timeoutMs = 30_000,
  ): Promise<void> {
    const marks = this.publishers.map((p) => p.acked.length);
    await waitFor(
      () =>
        this.publishers.every((p, i) => !kinds.includes(p.kind) || p.acked.length >= marks[i]! + n),
      () => `${n} more acknowledged publishes (${this.publishers.map((p) => p.acked.length)})`,
      { timeoutMs, intervalMs: 20 },
    );
  }

  /** Stops publishing; waits until every event the stream holds was handled. */
  async finish(timeoutMs = 30_000): Promise<WorkloadReport> {
    this.stopped = true;
    await Promise.all(this.publishers.map((p) => p.running));
    const present = await this.stored();
    await waitFor(
      () => [...present].every((id) => this.handled.has(id)),
      () =>
        `every stored event handled (${[...present].filter((id) => !this.handled.has(id)).length} of ${present.size} not yet)`,
      { timeoutMs, intervalMs: 50 },
    );
    const count = (kind: Kind, pick: (id: string) => boolean) =>
      this.publishers.find((p) => p.kind === kind)!.acked.filter(pick).length;
    let duplicates = 0;
    for (const n of this.handled.values()) duplicates += n - 1;
    const buses = [...this.publishers.map((p) => p.bus), this.consumer];
    return {
      acked: { wait: count('wait', () => true), nowait: count('nowait', () => true) },
      lost: {
        wait: count('wait', (id) => !present.has(id)),
        nowait: count('nowait', (id) => !present.has(id)),
      },
      failed: structuredClone(this.failures),
      handled: this.handled.size,
      duplicates,
      dataLoss: buses.reduce((n, b) => n + b.stats().dataLoss, 0),
    };
  }

  /** Whether every event in `ids` was handled. */
  allHandled(ids: readonly string[]): boolean {
    return ids.every((id) => this.handled.has(id));
  }

  /** The ids acknowledged so far, per publisher. */
  ackedIds(): string[] {
    return this.publishers.flatMap((p) => p.acked);
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close({ timeoutMs: 1000 });
    await Promise.all(
      [...this.publishers.map((p) => p.bus), this.consumer].map((b) => b.close({ timeoutMs: 500 })),
    );
    await this.cluster.deleteKeys(`{${this.catalog.namespace}:*`);
  }

  /** The job ids the stream holds now. */
  private async stored(): Promise<Set<string>> {
    const key = this.catalog.streams.jobs!.key;
    const entries = (await this.cluster.admin.xrange(key, '-', '+')) as [string, string[]][];
    const ids = new Set<string>();
    for (const [, fields] of entries) {
      const decoded = decodeEntry(fields);
      if (decoded.ok) ids.add((decoded.envelope.data as { jobId: string }).jobId);
    }
    return ids;
  }

  private async publishLoop(p: Publisher): Promise<void> {
    let seq = 0;
    while (!this.stopped) {
      const burst = Array.from({ length: 10 }, () => {
        const jobId = `${p.kind}-${seq}`;
        return p.bus.publish('job.requested', { jobId, key: 'k', seq: seq++ }).then(
          () => void p.acked.push(jobId),
          (error: Error) => {
            const counts = this.failures[p.kind];
            counts[error.name] = (counts[error.name] ?? 0) + 1;
          },
        );
      });
      await Promise.all(burst);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
