/**
 * Partitioned streams (stream `ledger`, {@link LEDGER_PARTITIONS} partitions
 * by `accountId`): per-key order across several consumers of one group,
 * through retries and through a consumer closing mid-flight.
 */
import { expect, it } from 'vitest';
import type { BatchItem, Envelope, Subscription } from '../../../runtime/bus.js';
import { partitionOf } from '../../../runtime/internal/partitions.js';
import { deferred, waitFor } from '../../support/wait.js';
import { LEDGER_PARTITIONS } from '../catalog.js';
import { busyFor } from '../helpers.js';
import type { ContractContext } from '../suite.js';

/** `ledger.*` payload. */
interface Ledger {
  readonly accountId: string;
  readonly seq: number;
  readonly amount: number;
}

/** `perAccount` events for each account, seq 0..perAccount-1 per account, accounts interleaved. */
function ledger(accounts: readonly string[], perAccount: number, from = 0): BatchItem[] {
  const items: BatchItem[] = [];
  for (let seq = from; seq < from + perAccount; seq++) {
    for (const accountId of accounts) {
      items.push({
        type: seq % 2 === 0 ? 'ledger.credited' : 'ledger.debited',
        data: { accountId, seq, amount: seq } satisfies Ledger,
      });
    }
  }
  return items;
}

/** `n` account ids, at least one in every partition. */
function accountsOverAllPartitions(n: number): string[] {
  const accounts: string[] = [];
  const covered = new Set<number>();
  for (let i = 0; accounts.length < n || covered.size < LEDGER_PARTITIONS; i++) {
    accounts.push(`acct-${i}`);
    covered.add(partitionOf(`acct-${i}`, LEDGER_PARTITIONS));
  }
  return accounts;
}

/** Two account ids in the same partition. */
function twoAccountsInOnePartition(): [string, string] {
  const first = new Map<number, string>();
  for (let i = 0; ; i++) {
    const id = `acct-${i}`;
    const p = partitionOf(id, LEDGER_PARTITIONS);
    const other = first.get(p);
    if (other !== undefined) return [other, id];
    first.set(p, id);
  }
}

/** Records handled events per account and whether two handlers of one account ever overlapped. */
class LedgerRecorder {
  readonly perAccount = new Map<string, number[]>();
  readonly byConsumer = new Map<string, number>();
  private readonly running = new Map<string, string>();
  overlaps: string[] = [];
  handled = 0;

  handler(consumer: string, work = () => busyFor(1)) {
    const on = async (event: Envelope<Ledger>) => {
      const { accountId, seq } = event.data;
      const other = this.running.get(accountId);
      if (other !== undefined)
        this.overlaps.push(`${accountId}#${seq} on ${consumer} while ${other}`);
      this.running.set(accountId, `${consumer}#${seq}`);
      await work();
      this.running.delete(accountId);
      this.perAccount.set(accountId, [...(this.perAccount.get(accountId) ?? []), seq]);
      this.byConsumer.set(consumer, (this.byConsumer.get(consumer) ?? 0) + 1);
      this.handled++;
    };
    return { 'ledger.credited': on, 'ledger.debited': on };
  }

  expectInOrder(accounts: readonly string[], perAccount: number): void {
    expect(this.overlaps).toEqual([]);
    for (const account of accounts) {
      expect(this.perAccount.get(account), `order of ${account}`).toEqual([
        ...Array(perAccount).keys(),
      ]);
    }
  }
}

export function partitionCases({ h }: ContractContext): void {
  it('the orderingKey option is not used on a partitioned stream: the partition key is the ordering key', async () => {
    const { bus } = h();
    const [a, b] = twoAccountsInOnePartition();
    const bStarted = deferred();
    const handled: string[] = [];
    const on = async (event: Envelope<Ledger>) => {
      const { accountId } = event.data;
      // a's handler waits for b's to start: one ordering key for both would never end.
      if (accountId === a) await bStarted.promise;
      else bStarted.resolve();
      handled.push(accountId);
    };
    const sub = bus.subscribe(
      'balances',
      { 'ledger.credited': on, 'ledger.debited': on },
      { consumer: 'solo', concurrency: 4, orderingKey: () => 'one-key-for-all' },
    );
    await bus.publishBatch([
      { type: 'ledger.credited', data: { accountId: a, seq: 0, amount: 1 } },
      { type: 'ledger.credited', data: { accountId: b, seq: 0, amount: 1 } },
    ]);
    await waitFor(
      () => handled.length === 2,
      () => `both keys handled side by side, got ${JSON.stringify(handled)}`,
    );
    await sub.close();
  });

  it('three consumers of one group share the partitions and keep each key in order', async () => {
    const { bus } = h();
    const rec = new LedgerRecorder();
    const accounts = accountsOverAllPartitions(12);
    const subs = ['c1', 'c2', 'c3'].map((consumer) =>
      bus.subscribe('balances', rec.handler(consumer), { consumer, concurrency: 4 }),
    );
    // Waves of events until at least two consumers took part (the partitions spread as they join).
    let perAccount = 0;
    const wave = 5;
    await waitFor(
      async () => {
        await bus.publishBatch(ledger(accounts, wave, perAccount));
        perAccount += wave;
        await waitFor(
          () => rec.handled === accounts.length * perAccount,
          () => `${accounts.length * perAccount} handled, got ${rec.handled}`,
          { timeoutMs: 20_000 },
        );
        return rec.byConsumer.size >= 2;
      },
      () => `two consumers handling, got ${JSON.stringify([...rec.byConsumer])}`,
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    rec.expectInOrder(accounts, perAccount);
    await Promise.all(subs.map((s) => s.close()));
  }, 60_000);

  it('a failing event holds back the later events of its key, not those of other keys', async () => {
    const { bus } = h();
    const [held, free] = twoAccountsInOnePartition();
    const started: string[] = [];
    const done: string[] = [];
    const freeDone = deferred();
    let failedOnce = false;
    const on = async (event: Envelope<Ledger>) => {
      const { accountId, seq } = event.data;
      const name = `${accountId === held ? 'held' : 'free'}${seq}`;
      started.push(name);
      if (name === 'held0') {
        if (!failedOnce) {
          failedOnce = true;
          throw new Error('first attempt fails');
        }
        // The retry waits until the other key is done: if that key were held back too, this never ends.
        await freeDone.promise;
      }
      done.push(name);
      if (done.filter((d) => d.startsWith('free')).length === 3) freeDone.resolve();
    };
    const sub = bus.subscribe(
      'balances',
      { 'ledger.credited': on, 'ledger.debited': on },
      { consumer: 'solo', concurrency: 4 },
    );
    await bus.publishBatch(ledger([held, free], 3));
    await waitFor(
      () => done.length === 6,
      () => `6 handled, got ${JSON.stringify(done)} (started ${JSON.stringify(started)})`,
      { timeoutMs: 20_000 },
    );
    expect(done.filter((d) => d.startsWith('held'))).toEqual(['held0', 'held1', 'held2']);
    expect(done.filter((d) => d.startsWith('free'))).toEqual(['free0', 'free1', 'free2']);
    // held1 never started before held0's retry succeeded.
    expect(started.indexOf('held1')).toBeGreaterThan(started.lastIndexOf('held0'));
    expect(started.filter((s) => s === 'held0')).toHaveLength(2);
    await sub.close();
  }, 30_000);

  it('a consumer closed mid-flight finishes what runs; the others go on in order', async () => {
    const { bus } = h();
    const rec = new LedgerRecorder();
    const accounts = accountsOverAllPartitions(8);
    const perAccount = 12;
    const subs = new Map<string, Subscription>();
    for (const consumer of ['c1', 'c2', 'c3']) {
      subs.set(
        consumer,
        bus.subscribe(
          'balances',
          rec.handler(consumer, () => busyFor(3)),
          {
            consumer,
            concurrency: 2,
          },
        ),
      );
    }
    await bus.publishBatch(ledger(accounts, perAccount / 2));
    // Close whichever consumer is handling once a few events went through.
    await waitFor(
      () => rec.handled >= accounts.length,
      () => `${accounts.length} handled, got ${rec.handled}`,
      { timeoutMs: 20_000 },
    );
    const busiest = [...rec.byConsumer].sort((a, b) => b[1] - a[1])[0]![0];
    const closing = subs.get(busiest)!.close();
    await bus.publishBatch(ledger(accounts, perAccount / 2, perAccount / 2));
    await closing;
    await waitFor(
      () => rec.handled === accounts.length * perAccount,
      () => `${accounts.length * perAccount} handled, got ${rec.handled}`,
      { timeoutMs: 30_000 },
    );
    rec.expectInOrder(accounts, perAccount);
    await Promise.all([...subs.values()].map((s) => s.close()));
  }, 60_000);

  it('a circuit breaker counts the failures of every partition together: one breaker for the stream', async () => {
    const { bus } = h();
    // One account in each of three partitions: one failure each opens a breaker of minDeliveries 3.
    const accounts = accountsOverAllPartitions(0);
    const byPartition = new Map<number, string>();
    for (const a of accounts) {
      const p = partitionOf(a, LEDGER_PARTITIONS);
      if (!byPartition.has(p)) byPartition.set(p, a);
    }
    const three = [...byPartition.values()].slice(0, 3);
    const calls: string[] = [];
    const failing = async (event: Envelope<Ledger>) => {
      calls.push(event.data.accountId);
      throw new Error('downstream down');
    };
    const sub = bus.subscribe(
      'balances',
      { 'ledger.credited': failing, 'ledger.debited': failing },
      { circuitBreaker: { failureRate: 0.5, minDeliveries: 3, coolDownMs: 60_000 } },
    );
    await bus.publishBatch(ledger(three, 1));
    await waitFor(
      () => sub.state === 'paused',
      () => `paused after one failure in each of three partitions; calls ${JSON.stringify(calls)}`,
    );
    expect(new Set(calls)).toEqual(new Set(three));
    const health = await bus.health();
    const breakers = health.subscriptions.find((s) => s.group === 'balances')!.circuitBreakers;
    expect(breakers.map((b) => [b.stream, b.state])).toEqual([['ledger', 'open']]);
    await sub.close({ timeoutMs: 1000 });
  });
}
