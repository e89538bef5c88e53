/**
 * The scenario both partitioned-stream crash tests run (standalone and on a
 * Cluster): 3 consumer processes (fixtures/partition-consumer.ts) on the
 * `ledger` stream's group `balances`; once each holds a partition, events of
 * 16 keys are published in waves; one process is killed with SIGKILL while
 * a handler of it runs; publishing goes on until the survivors hold every
 * partition; then every published event must be handled, each key in order
 * (support/key-order.ts).
 */
import type { EventBus } from '../../../runtime/bus.js';
import type { Catalog } from '../../../runtime/catalog.js';
import type { Fixture } from '../../support/child-process.js';
import type { waitFor as WaitFor } from '../../support/wait.js';
import { checkKeyOrder, type KeyedHandling, type KeyOrderCounts } from './key-order.js';

/** Lease length of the consumers: short, so the survivors take over within seconds. */
export const CRASH_LEASE_MS = 1500;

export interface PartitionCrashSetup {
  /** Publishes (any bus on the same Redis). */
  readonly bus: EventBus;
  readonly catalog: Catalog;
  readonly url: string;
  /** The lease holder token of each partition (null: free). */
  leaseHolders(): Promise<Array<string | null>>;
  start(env: Record<string, string>): Fixture;
  readonly waitFor: typeof WaitFor;
}

export interface PartitionCrashResult {
  readonly counts: KeyOrderCounts;
  readonly summary: string;
}

const holderName = (token: string | null) => token?.slice(0, token.lastIndexOf('#')) ?? null;

export async function runPartitionCrash(s: PartitionCrashSetup): Promise<PartitionCrashResult> {
  const names = ['c1', 'c2', 'c3'];
  const procs = new Map<string, Fixture>();
  for (const name of names) {
    procs.set(
      name,
      s.start({
        REDIS_URL: s.url,
        SCHEMABUS_CATALOG: JSON.stringify(s.catalog),
        GROUP: 'balances',
        CONSUMER: name,
        LEASE_MS: String(CRASH_LEASE_MS),
        CONCURRENCY: '4',
        WORK_MS: '4',
      }),
    );
  }
  const lines = (name: string) =>
    procs.get(name)!.lines.filter((l): l is KeyedHandling => 'seq' in (l as object));
  const all = () => names.flatMap(lines);
  // Every process holds a partition.
  let holders: Array<string | null> = [];
  await s.waitFor(
    async () => {
      holders = await s.leaseHolders();
      return new Set(holders.map(holderName)).size === names.length;
    },
    () =>
      `each of 3 processes holding a partition, got ${JSON.stringify(holders)}; stderr: ${names.map((n) => procs.get(n)!.stderr()).join(' | ')}`,
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  const accounts = Array.from({ length: 16 }, (_, i) => `acct-${i}`);
  const published = new Map<string, number>(accounts.map((a) => [a, 0]));
  let publishing = true;
  let waves = 0;
  const publisher = (async () => {
    while (publishing) {
      await s.bus.publishBatch(
        accounts.map((accountId) => {
          const seq = published.get(accountId)!;
          return {
            type: seq % 2 === 0 ? 'ledger.credited' : 'ledger.debited',
            data: { accountId, seq, amount: 1 },
          };
        }),
      );
      for (const a of accounts) published.set(a, published.get(a)! + 1);
      waves++;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const handled = () => all().filter((l) => l.kind === 'handled').length;
  await s.waitFor(
    () => handled() >= 400,
    () => `400 handled, got ${handled()}`,
    { timeoutMs: 30_000 },
  );
  // The victim: a process with a handler running now.
  const running = (name: string) => {
    const ls = lines(name);
    return (
      ls.filter((l) => l.kind === 'started').length > ls.filter((l) => l.kind === 'handled').length
    );
  };
  const victim = await s.waitFor(
    () => names.find(running),
    () => 'a process with a handler running',
    { timeoutMs: 20_000, intervalMs: 1 },
  );
  const heldByVictim = (await s.leaseHolders()).filter((t) => holderName(t) === victim).length;
  await procs.get(victim)!.kill9();
  const survivors = names.filter((n) => n !== victim);
  // The survivors take the victim's partitions once its lease expired.
  await s.waitFor(
    async () => {
      holders = await s.leaseHolders();
      return holders.every((t) => survivors.includes(holderName(t) ?? ''));
    },
    () => `survivors holding every partition, got ${JSON.stringify(holders)}`,
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  const atTakeover = handled();
  await s.waitFor(
    () => handled() >= atTakeover + 200,
    () => `200 more handled after the takeover, got ${handled() - atTakeover}`,
    { timeoutMs: 30_000 },
  );
  publishing = false;
  await publisher;
  await s.waitFor(
    () => checkKeyOrder(all(), published).missing === 0,
    () => `every event handled, ${checkKeyOrder(all(), published).missing} missing`,
    { timeoutMs: 30_000 },
  );
  const counts = checkKeyOrder(all(), published);
  const victimLines = lines(victim);
  const finished = new Set(
    victimLines.filter((l) => l.kind === 'handled').map((l) => `${l.key}#${l.seq}`),
  );
  const cutOff = victimLines.filter(
    (l) => l.kind === 'started' && !finished.has(`${l.key}#${l.seq}`),
  ).length;
  const perProcess = names.map(
    (n) => `${n} ${lines(n).filter((l) => l.kind === 'handled').length}`,
  );
  const summary =
    `${counts.published} events of ${accounts.length} keys in ${waves} waves; ${victim} killed ` +
    `holding ${heldByVictim} partition(s) with ${cutOff} handler(s) running; handled per process: ${perProcess.join(', ')}; ` +
    `missing ${counts.missing}, redelivered ${counts.redelivered}, out of order ${counts.outOfOrder.length}`;
  return { counts, summary };
}
