/**
 * Partitioned streams on the in-memory bus: publish routing, and per-key
 * order across a whole group of several subscribers, through retries, a
 * held-back key and a subscriber that closes mid-flight; DLQ, replay and
 * inspect per partition.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope, HandlerContext } from '../../runtime/bus.js';
import { NonRetryableError } from '../../runtime/errors.js';
import { InMemoryEventBus, ManualClock } from '../../runtime/index.js';
import { partitionKeys, partitionOf } from '../../runtime/internal/partitions.js';
import { createTestCatalog, LEDGER_PARTITIONS } from '../contract/catalog.js';
import { deferred, waitFor } from '../support/wait.js';

type Ledger = { accountId: string; seq: number; amount: number };
const ACCOUNTS = Array.from({ length: 8 }, (_, i) => `acc-${i + 1}`);
const PER_ACCOUNT = 15;

function newBus(): InMemoryEventBus {
  return new InMemoryEventBus({ catalog: createTestCatalog('mp') });
}

describe('partitioned stream, in memory', () => {
  it('routes each event to the partition of its key, and inspect reports per partition and in total', async () => {
    const bus = newBus();
    const published = await Promise.all(
      ACCOUNTS.map((accountId, seq) =>
        bus.publish('ledger.credited', { accountId, seq, amount: 1 }),
      ),
    );
    for (const [i, p] of published.entries()) {
      expect(p.partition).toBe(partitionOf(ACCOUNTS[i]!, LEDGER_PARTITIONS));
    }
    const ledger = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!;
    expect(ledger.length).toBe(ACCOUNTS.length);
    const keys = partitionKeys(bus.catalog.streams.ledger!);
    expect(ledger.partitions?.map((p) => p.key)).toEqual(keys.map((k) => k.key));
    const want = keys.map(
      (k) => ACCOUNTS.filter((a) => partitionOf(a, LEDGER_PARTITIONS) === k.index).length,
    );
    expect(ledger.partitions?.map((p) => p.length)).toEqual(want);
    expect(want.filter((n) => n > 0).length).toBeGreaterThan(1);
    await bus.close();
  });

  it('keeps per-key order across 3 subscribers of one group, through retries and a subscriber closed mid-flight', async () => {
    const bus = newBus();
    const starts = new Map<string, number[]>();
    const handledOk = new Set<string>();
    const failedOnce = new Set<string>();
    const handler =
      (name: string) =>
      async (event: Envelope<Ledger>, ctx: HandlerContext): Promise<void> => {
        const { accountId, seq } = event.data;
        const list = starts.get(accountId) ?? [];
        list.push(seq);
        starts.set(accountId, list);
        // Some time in the handler, so events of other keys interleave.
        await new Promise((resolve) => setTimeout(resolve, (seq * 7 + accountId.length) % 4));
        const id = `${accountId}/${seq}`;
        if (seq % 5 === 2 && !failedOnce.has(id)) {
          failedOnce.add(id);
          throw new Error(`${name}: first attempt of ${id} fails`);
        }
        if (!ctx.signal.aborted) handledOk.add(id);
      };
    const subscribe = (name: string) =>
      bus.subscribe(
        'balances',
        { 'ledger.credited': handler(name), 'ledger.debited': handler(name) },
        { consumer: name, concurrency: 8 },
      );
    const subscribers = [subscribe('c1'), subscribe('c2'), subscribe('c3')];
    const publishing = (async () => {
      for (let seq = 0; seq < PER_ACCOUNT; seq++) {
        await bus.publishBatch(
          ACCOUNTS.map((accountId) => ({
            type: seq % 2 === 0 ? 'ledger.credited' : 'ledger.debited',
            data: { accountId, seq, amount: seq },
          })),
        );
      }
    })();
    await waitFor(
      () => handledOk.size >= 20,
      () => `20 handled, got ${handledOk.size}`,
    );
    // c2 closes without waiting for its handlers: what it held stays pending and is claimed later.
    await subscribers[1]!.close({ timeoutMs: 0 });
    await publishing;
    const total = ACCOUNTS.length * PER_ACCOUNT;
    await waitFor(
      () => handledOk.size === total,
      () => `${total} handled, got ${handledOk.size}`,
      { timeoutMs: 20_000 },
    );
    for (const account of ACCOUNTS) {
      const seen = starts.get(account)!;
      // Never a later event of a key before an earlier one: retries and redeliveries repeat, never reorder.
      for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
      expect([...new Set(seen)]).toEqual(Array.from({ length: PER_ACCOUNT }, (_, i) => i));
    }
    expect(failedOnce.size).toBe(ACCOUNTS.length * 3);
    const group = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!.groups[0]!;
    await waitFor(async () => {
      const g = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!.groups[0]!;
      return g.pending === 0;
    });
    expect(group.name).toBe('balances');
    // Each partition is read by one of the two subscribers left.
    const parts = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!.partitions!;
    expect(new Set(parts.map((p) => p.groups[0]!.reader))).toEqual(new Set(['c1', 'c3']));
    await Promise.all(subscribers.map((s) => s.close()));
    await bus.close();
  });

  it('holds back the later events of a key whose event is unfinished, not the other keys of its partition', async () => {
    const bus = newBus();
    // Two accounts on the same partition.
    const sameAs = (a: string) =>
      ACCOUNTS.concat(Array.from({ length: 50 }, (_, i) => `x-${i}`)).find(
        (b) => b !== a && partitionOf(b, LEDGER_PARTITIONS) === partitionOf(a, LEDGER_PARTITIONS),
      )!;
    const held = 'acc-1';
    const other = sameAs(held);
    const gate = deferred();
    const handled: string[] = [];
    bus.subscribe(
      'balances',
      {
        'ledger.credited': async (event: Envelope<Ledger>) => {
          const { accountId, seq } = event.data;
          if (accountId === held && seq === 0) await gate.promise;
          handled.push(`${accountId}/${seq}`);
        },
        'ledger.debited': async () => {},
      },
      { concurrency: 4 },
    );
    for (let seq = 0; seq < 3; seq++) {
      await bus.publish('ledger.credited', { accountId: held, seq, amount: 1 });
      await bus.publish('ledger.credited', { accountId: other, seq, amount: 1 });
    }
    await waitFor(
      () => handled.length === 3,
      () => JSON.stringify(handled),
    );
    expect(handled).toEqual([`${other}/0`, `${other}/1`, `${other}/2`]);
    gate.resolve();
    await waitFor(
      () => handled.length === 6,
      () => JSON.stringify(handled),
    );
    expect(handled.slice(3)).toEqual([`${held}/0`, `${held}/1`, `${held}/2`]);
    await bus.close();
  });

  it('dead-letters into the partition DLQ, lists and counts across partitions, replays to the own partition', async () => {
    const bus = newBus();
    const attempts: string[] = [];
    bus.subscribe('balances', {
      'ledger.credited': async (event: Envelope<Ledger>) => {
        attempts.push(event.data.accountId);
        if (!event.replayfor) throw new NonRetryableError('refused');
      },
      'ledger.debited': async () => {},
    });
    for (const accountId of ACCOUNTS) {
      await bus.publish('ledger.credited', { accountId, seq: 0, amount: 1 });
    }
    const dlq = bus.dlq('ledger');
    await waitFor(async () => (await dlq.count()) === ACCOUNTS.length);
    const letters = await dlq.list();
    expect(letters).toHaveLength(ACCOUNTS.length);
    for (const letter of letters) {
      const account = (letter.event!.data as Ledger).accountId;
      expect(letter.partition).toBe(partitionOf(account, LEDGER_PARTITIONS));
      expect(letter.id).toMatch(new RegExp(`^p${letter.partition}:\\d+-\\d+$`));
    }
    // Paging across partitions: two pages of 3 and the rest, no letter twice.
    const first = await dlq.list({ count: 3 });
    const second = await dlq.list({ count: 100, after: first[2]!.id });
    expect([...first, ...second].map((l) => l.id)).toEqual(letters.map((l) => l.id));
    const inspected = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!;
    expect(inspected.dlqLength).toBe(ACCOUNTS.length);
    expect(inspected.partitions?.reduce((n, p) => n + p.dlqLength, 0)).toBe(ACCOUNTS.length);
    const replayed = await dlq.replay(letters[0]!.id);
    expect(replayed.partition).toBe(letters[0]!.partition);
    const lengths = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!.partitions!;
    const own = lengths[letters[0]!.partition!]!;
    expect(own.length).toBe(
      ACCOUNTS.filter((a) => partitionOf(a, LEDGER_PARTITIONS) === letters[0]!.partition).length +
        1,
    );
    await waitFor(() => attempts.length === ACCOUNTS.length + 1);
    expect(await dlq.purge({ ids: [letters[1]!.id] })).toBe(1);
    expect(await dlq.count()).toBe(ACCOUNTS.length - 2);
    expect(await dlq.replayAll()).toBe(ACCOUNTS.length - 2);
    expect(await dlq.count()).toBe(0);
    await bus.close();
  });

  it("hands a closing subscriber's fetched, unstarted entries to the partition's next reader at once, as the lease does on Redis", async () => {
    // The clock never moves: nothing becomes claimable by claimIdleMs.
    const clock = new ManualClock();
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('mpc'), clock });
    const handled: { by: string; accountId: string }[] = [];
    const blocked = deferred();
    let c2Started = 0;
    const subscribe = (name: string, handle: (e: Envelope<Ledger>) => Promise<void>) =>
      bus.subscribe(
        'balances',
        { 'ledger.credited': handle, 'ledger.debited': handle },
        { consumer: name, concurrency: 1 },
      );
    const c1 = subscribe(
      'c1',
      async (e) => void handled.push({ by: 'c1', accountId: e.data.accountId }),
    );
    // c2 (attached second) reads partitions 1 and 3 of 4 (one handler at a time on each);
    // its first handler does not return.
    const c2 = subscribe('c2', async (e) => {
      c2Started++;
      await blocked.promise;
      handled.push({ by: 'c2', accountId: e.data.accountId });
    });
    const accounts = Array.from({ length: 40 }, (_, i) => `acc-${i}`)
      .filter((a) => partitionOf(a, LEDGER_PARTITIONS) === 1)
      .slice(0, 4);
    expect(accounts).toHaveLength(4);
    for (const accountId of accounts) {
      await bus.publish('ledger.credited', { accountId, seq: 0, amount: 1 });
    }
    await waitFor(
      () => c2Started === 1,
      () => `c2 started ${c2Started}`,
    );
    await c2.close({ timeoutMs: 0 });
    // The three entries c2 had fetched and not started go to c1 (now reading every partition).
    await waitFor(
      () => handled.length === 3,
      () => `handled ${JSON.stringify(handled)}`,
    );
    expect(handled.every((h) => h.by === 'c1')).toBe(true);
    expect(new Set(handled.map((h) => h.accountId)).size).toBe(3);
    blocked.resolve();
    await c1.close();
    await bus.close();
  });
});
