/**
 * A fault scenario: its seed (printed, `FAULT_SEED` replays it), its ledger,
 * the worker processes it starts (killed after the test), the waits it
 * needs (conditions with deadlines, never fixed sleeps) and its report (the
 * checker's counts, printed as a table line).
 */
import type { Redis } from 'ioredis';
import type { Catalog } from '../../../runtime/catalog.js';
import { eventIdOf } from '../../support/entries.js';
import { onCleanup } from '../../support/redis-bus.js';
import type { RedisServer } from '../../support/redis-harness.js';
import { type WaitOptions, waitFor } from '../../support/wait.js';
import type {
  ConsumerConfig,
  CyclerConfig,
  PublisherConfig,
  RealtimeConfig,
} from '../workers/config.js';
import { type CheckOptions, checkGroup, type GroupCounts } from './checker.js';
import { type AckFilter, Ledger } from './ledger.js';
import type { StoredEntry } from './ledger-records.js';
import { type Random, scenarioSeed, seededRandom } from './seed.js';
import { printRow } from './table.js';
import { WorkerProcess } from './workers.js';

type Own<C> = Omit<C, 'role' | 'name' | 'redisUrl' | 'catalog' | 'seed'>;

/** What a publisher needs besides its defaults (job.requested, 2 in flight, 200/s). */
export type PublisherOptions = Partial<Own<PublisherConfig>> & { readonly count: number };
/** What a consumer needs besides its defaults (concurrency 4, handlers of 1-5 ms, close within 2 s). */
export type ConsumerOptions = Partial<Own<ConsumerConfig>> & { readonly group: string };

export class FaultScenario {
  readonly seed = scenarioSeed();
  readonly random: Random = seededRandom(this.seed);
  readonly ledger = new Ledger();
  readonly workers: WorkerProcess[] = [];

  constructor(
    /** The scenario's name in the table. */
    readonly name: string,
    readonly server: RedisServer,
    readonly catalog: Catalog,
  ) {
    console.log(`${name}: seed ${this.seed} (FAULT_SEED=${this.seed} replays its choices)`);
    onCleanup(async () => {
      for (const w of this.workers) await w.kill9();
      const admin = server.client();
      const keys = await admin.keys(`{${catalog.namespace}:*`).catch(() => [] as string[]);
      if (keys.length > 0) await admin.del(...keys).catch(() => undefined);
    });
  }

  /** A publisher process named `name` (its event ids are `<name>-<seq>`). */
  publisher(name: string, options: PublisherOptions): WorkerProcess {
    return this.start({
      role: 'publisher',
      type: 'job.requested',
      ratePerSecond: 200,
      inflight: 2,
      ...options,
      ...this.base(name),
    });
  }

  /** A consumer process; `consumer` is both its consumer name and its worker name. */
  consumer(consumer: string, options: ConsumerOptions): WorkerProcess {
    return this.start({
      role: 'consumer',
      consumer,
      concurrency: 4,
      work: { kind: 'sleep', minMs: 1, maxMs: 5 },
      closeTimeoutMs: 2000,
      ...options,
      ...this.base(consumer),
    });
  }

  /** A process running consumer start/stop cycles (see CyclerConfig). */
  cycler(name: string, options: Own<CyclerConfig>): WorkerProcess {
    return this.start({ role: 'cycler', ...options, ...this.base(name) });
  }

  /** A realtime subscriber process on `channel` whose handler works `busyMs` per message. */
  realtimeSubscriber(name: string, channel: string, busyMs: number): WorkerProcess {
    return this.start({
      role: 'realtime',
      channel,
      busyMs,
      ...this.base(name),
    } satisfies RealtimeConfig);
  }

  /** Whether `worker` said it is ready (subscribed, or about to publish). */
  isReady(worker: WorkerProcess): boolean {
    return this.ledger.of(worker.name).some((r) => r.kind === 'ready');
  }

  /** Resolves once `worker` said it is ready. */
  async ready(worker: WorkerProcess, options: WaitOptions = { timeoutMs: 30_000 }): Promise<void> {
    await waitFor(
      () => this.isReady(worker),
      () => `worker ${worker.name} ready; stderr: ${worker.stderr()}`,
      options,
    );
  }

  /** Waits until `group` handled at least `n` distinct events. */
  async handled(group: string, n: number, options: WaitOptions = { timeoutMs: 30_000 }) {
    await waitFor(
      () => this.ledger.handled(group) >= n,
      () => `${group} handled ${n} events, got ${this.ledger.handled(group)}`,
      { intervalMs: 20, ...options },
    );
  }

  /**
   * Waits until `group` handled every acknowledged publish (those `which`
   * keeps: by default all) and its pending list is empty.
   */
  async drained(
    group: string,
    { timeoutMs = 30_000, which }: WaitOptions & { which?: AckFilter } = {},
  ): Promise<void> {
    const admin = this.server.client();
    const key = this.streamKey(group);
    await waitFor(
      async () =>
        this.ledger.unhandled(group, which).length === 0 &&
        Number((await admin.xpending(key, group))[0]) === 0,
      () => {
        const left = this.ledger.unhandled(group, which);
        return `${group} drained: ${left.length} acknowledged events not handled (${left.slice(0, 5).join(', ')})`;
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  /**
   * Waits until `group` consumed its stream: nothing pending, and the last
   * entry delivered (for scenarios where some acknowledged events are gone
   * and {@link drained} would wait for them forever).
   */
  async settled(group: string, { timeoutMs = 30_000 }: WaitOptions = {}): Promise<void> {
    const admin = this.server.client();
    const key = this.streamKey(group);
    let seen = '';
    await waitFor(
      async () => {
        const [length, last] = await Promise.all([admin.xlen(key), lastEntryId(admin, key)]);
        const info = (await admin.xinfo('GROUPS', key)) as unknown[][];
        const row = info.map(fieldsOf).find((g) => g.name === group);
        seen = JSON.stringify({ length, last, group: row });
        return (
          row !== undefined &&
          Number(row.pending) === 0 &&
          (length === 0 || row['last-delivered-id'] === last)
        );
      },
      () => `${group} consumed its stream; last seen ${seen}`,
      { timeoutMs, intervalMs: 50 },
    );
  }

  /** SIGTERM to `workers` (all of them by default), waiting for each to exit. */
  async terminate(workers: readonly WorkerProcess[] = this.workers): Promise<void> {
    await Promise.all(workers.filter((w) => w.alive).map((w) => w.terminate()));
  }

  /** Every entry the stream of `group` holds now, with its event id. */
  async stored(group: string): Promise<StoredEntry[]> {
    const admin = this.server.client();
    const key = this.streamKey(group);
    const entries: StoredEntry[] = [];
    let from = '-';
    for (;;) {
      const page = (await admin.xrange(key, from, '+', 'COUNT', 1000)) as [string, string[]][];
      for (const [entryId, fields] of page) entries.push({ entryId, eventId: eventIdOf(fields) });
      if (page.length < 1000) return entries;
      from = `(${page.at(-1)![0]}`;
    }
  }

  /** The checker's counts for `group`. */
  check(group: string, options: Omit<CheckOptions, 'group'> = {}): GroupCounts {
    return checkGroup(this.ledger.records, { group, ...options });
  }

  /** The checker's counts for `group`, printed as the scenario's table line with `notes`. */
  report(
    group: string,
    options: Omit<CheckOptions, 'group'> & {
      notes?: string | ((counts: GroupCounts) => string) | undefined;
    } = {},
  ): GroupCounts {
    const counts = this.check(group, options);
    const notes = typeof options.notes === 'function' ? options.notes(counts) : options.notes;
    printRow({ scenario: this.name, seed: this.seed, counts, notes });
    return counts;
  }

  /** The key of the stream `group` reads. */
  streamKey(group: string): string {
    const stream = Object.values(this.catalog.streams).find((s) => s.groups[group] !== undefined);
    if (stream === undefined) throw new Error(`no stream has group ${group}`);
    return stream.key;
  }

  private base(name: string) {
    return {
      name,
      redisUrl: this.server.url,
      catalog: this.catalog,
      seed: this.random.int(0, 2 ** 31),
    };
  }

  private start(config: Parameters<typeof WorkerProcess.start>[1]): WorkerProcess {
    if (this.workers.some((w) => w.name === config.name)) {
      throw new Error(`a worker named ${config.name} was started already in this scenario`);
    }
    const worker = WorkerProcess.start(this.ledger, config);
    this.workers.push(worker);
    return worker;
  }
}

/** A flat XINFO reply (`name value name value ...`) as an object. */
function fieldsOf(flat: unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = flat[i + 1];
  return fields;
}

async function lastEntryId(admin: Redis, key: string): Promise<string | undefined> {
  const [last] = (await admin.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
  return last?.[0];
}
