/**
 * Leases of a partitioned stream on Redis: health() says which partitions
 * each consumer reads (together all, none twice); a consumer whose lease is
 * not its own any more (as after a pause past the lease) stops that
 * partition at once and takes it back (its pending entries first) once the
 * lease is free; and the least-privilege ACL user runs it all with nothing
 * refused.
 */
import { expect, it } from 'vitest';
import { leastPrivilege, setUserArgs } from '../../generator/acl/least-privilege.js';
import type { Envelope, Subscription } from '../../runtime/bus.js';
import type { RedisEventBus } from '../../runtime/index.js';
import { partitionKeys, partitionOf } from '../../runtime/internal/partitions.js';
import { LEDGER_PARTITIONS, TEST_RETRY } from '../contract/catalog.js';
import { withGroups } from '../support/catalog-overrides.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();
const LEASE_MS = 600;

interface Ledger {
  readonly accountId: string;
  readonly seq: number;
}

/** An account id routed to partition `p`. */
function accountIn(p: number, not: readonly string[] = []): string {
  for (let i = 0; ; i++) {
    const id = `acct-${i}`;
    if (partitionOf(id, LEDGER_PARTITIONS) === p && !not.includes(id)) return id;
  }
}

const credited = (accountId: string, seq: number) => ({
  type: 'ledger.credited',
  data: { accountId, seq, amount: 1 },
});

function recordTo(seen: string[]) {
  const on = async (event: Envelope<Ledger>) =>
    void seen.push(`${event.data.accountId}#${event.data.seq}`);
  return { 'ledger.credited': on, 'ledger.debited': on };
}

/** The partitions each subscription of `bus` holds, by consumer. */
async function held(bus: RedisEventBus): Promise<Map<string, number[]>> {
  const health = await bus.health();
  return new Map(health.subscriptions.map((s) => [s.consumer, [...(s.partitions?.ledger ?? [])]]));
}

it('health() and inspect() show which consumer reads which partition: all of them, none twice', async () => {
  const catalog = testCatalog();
  const bus = newBus(server(), catalog, { partitionLeaseMs: LEASE_MS });
  const subs: Subscription[] = ['c1', 'c2'].map((consumer) =>
    bus.subscribe('balances', recordTo([]), { consumer }),
  );
  let now = new Map<string, number[]>();
  await waitFor(
    async () => {
      now = await held(bus);
      return [...now.values()].every((p) => p.length === LEDGER_PARTITIONS / 2);
    },
    () => `2 partitions each, got ${JSON.stringify([...now])}`,
  );
  expect([...now.values()].flat().sort()).toEqual([...Array(LEDGER_PARTITIONS).keys()]);
  // The leases in Redis say the same.
  const admin = server().client();
  for (const [consumer, partitions] of now) {
    for (const p of partitions) {
      const key = `${partitionKeys(catalog.streams.ledger!)[p]!.key}:lease:balances`;
      expect(await admin.get(key)).toMatch(new RegExp(`^${consumer}#`));
    }
  }
  // inspect() names each partition's reader.
  const ledger = (await bus.inspect()).streams.find((x) => x.name === 'ledger')!;
  for (const [consumer, partitions] of now) {
    for (const p of partitions) {
      const group = ledger.partitions![p]!.groups.find((g) => g.name === 'balances');
      expect(group?.reader, `reader of partition ${p}`).toBe(consumer);
    }
  }
  expect(ledger.groups.find((g) => g.name === 'balances')?.reader).toBeUndefined();
  // A closed consumer leaves; the other takes its partitions.
  await subs[0]!.close();
  await waitFor(
    async () => (await held(bus)).get('c2')?.length === LEDGER_PARTITIONS,
    () => 'c2 holding every partition',
  );
});

it('a consumer whose lease was taken stops that partition at once, and takes it back once free', async () => {
  const catalog = testCatalog();
  const bus = newBus(server(), catalog, { partitionLeaseMs: LEASE_MS });
  const admin = server().client();
  const seen: string[] = [];
  bus.subscribe('balances', recordTo(seen), { consumer: 'solo' });
  await waitFor(
    async () => (await held(bus)).get('solo')?.length === LEDGER_PARTITIONS,
    () => 'solo holding every partition',
  );
  const lost = 1;
  const leaseKey = `${partitionKeys(catalog.streams.ledger!)[lost]!.key}:lease:balances`;
  // Another holder now (as when this process paused past its lease and another consumer took it).
  await admin.set(leaseKey, 'intruder#0', 'PX', 60_000);
  await waitFor(
    async () => !(await held(bus)).get('solo')?.includes(lost),
    () => `solo giving partition ${lost} up`,
  );
  const inLost = accountIn(lost);
  const elsewhere = accountIn((lost + 1) % LEDGER_PARTITIONS);
  await bus.publishBatch([credited(inLost, 0), credited(elsewhere, 0)]);
  await waitFor(
    () => seen.includes(`${elsewhere}#0`),
    () => `${elsewhere}#0 handled, got ${JSON.stringify(seen)}`,
  );
  expect(seen).not.toContain(`${inLost}#0`);
  // Free again: taken back at the next beat, and what waited there is handled.
  await admin.del(leaseKey);
  await waitFor(
    () => seen.includes(`${inLost}#0`),
    () => `${inLost}#0 handled after the lease came free, got ${JSON.stringify(seen)}`,
  );
  expect(await admin.get(leaseKey)).toMatch(/^solo#/);
});

it('the least-privilege ACL user runs partitioned consumers (leases, membership, takeover) with nothing refused', async () => {
  const catalog = testCatalog();
  const admin = server().client();
  const user = `p-${catalog.namespace}`;
  await admin.call('ACL', 'SETUSER', ...setUserArgs(user, 'pw', leastPrivilege(catalog)));
  onCleanup(async () => {
    await admin.call('ACL', 'DELUSER', user);
  });
  await admin.call('ACL', 'LOG', 'RESET');
  const url = server().url.replace('redis://', `redis://${user}:pw@`);
  const bus = newBus(server(), catalog, { redis: url, partitionLeaseMs: LEASE_MS });
  await bus.bootstrap();
  const seen: string[] = [];
  const first = bus.subscribe('balances', recordTo(seen), { consumer: 'a' });
  bus.subscribe('balances', recordTo(seen), { consumer: 'b' });
  const accounts = [0, 1, 2, 3].map((p) => accountIn(p));
  await bus.publishBatch(accounts.flatMap((a) => [credited(a, 0), credited(a, 1)]));
  await waitFor(
    () => seen.length >= accounts.length * 2,
    () => `${accounts.length * 2} handled, got ${seen.length}`,
  );
  await first.close();
  await bus.publishBatch(accounts.map((a) => credited(a, 2)));
  await waitFor(
    () => seen.length >= accounts.length * 3,
    () => `${accounts.length * 3} handled, got ${seen.length}`,
  );
  const log = (await admin.call('ACL', 'LOG')) as unknown[];
  expect(log).toEqual([]);
});

it('after a pause past its lease, a consumer starts no entry it fetched before: they go to the next holder', async () => {
  const catalog = testCatalog();
  const bus = newBus(server(), catalog, { partitionLeaseMs: LEASE_MS });
  const p = 2;
  const [first, second] = [accountIn(p), accountIn(p, [accountIn(p)])];
  const attempts: string[] = [];
  const on = async (event: Envelope<Ledger>, ctx: { attempt: number }) => {
    attempts.push(`${event.data.accountId === first ? 'first' : 'second'}@${ctx.attempt}`);
    if (event.data.accountId === first && ctx.attempt === 1) {
      // The whole process stops (no timer, no renewal) for twice the lease, as under a long pause.
      const until = Date.now() + 2 * LEASE_MS;
      while (Date.now() < until) {}
    }
  };
  bus.subscribe(
    'balances',
    { 'ledger.credited': on, 'ledger.debited': on },
    { consumer: 'paused', concurrency: 1 },
  );
  await waitFor(
    async () => (await held(bus)).get('paused')?.length === LEDGER_PARTITIONS,
    () => 'paused holding every partition',
  );
  await bus.publishBatch([credited(first, 0), credited(second, 0)]);
  await waitFor(
    () => attempts.length >= 2,
    () => `both handled, got ${JSON.stringify(attempts)}`,
  );
  // `second` was fetched with `first` and waited behind it (concurrency 1): after the pause it was
  // not started under the expired lease but left pending, and handled again after the takeover.
  expect(attempts).toEqual(['first@1', 'second@2']);
});

it('a retry waiting for its backoff when its partition changes hands runs on the next holder before the later events of its key', async () => {
  const backoff = { ...TEST_RETRY.backoff, initialMs: 1500, jitter: 0 };
  const catalog = testCatalog((c) =>
    withGroups(c, 'ledger', { retry: { ...TEST_RETRY, backoff } }),
  );
  const bus = newBus(server(), catalog, { partitionLeaseMs: LEASE_MS });
  const key = accountIn(0);
  const log: string[] = [];
  const handlers = (consumer: string) => {
    const on = async (event: Envelope<Ledger>, ctx: { attempt: number }) => {
      log.push(`${consumer}:${event.data.seq}@${ctx.attempt}`);
      if (event.data.seq === 0 && ctx.attempt === 1) throw new Error('first attempt fails');
    };
    return { 'ledger.credited': on, 'ledger.debited': on };
  };
  const a = bus.subscribe('balances', handlers('a'), { consumer: 'a', concurrency: 4 });
  await waitFor(
    async () => (await held(bus)).get('a')?.length === LEDGER_PARTITIONS,
    () => 'a holding every partition',
  );
  await bus.publishBatch([credited(key, 0), credited(key, 1), credited(key, 2)]);
  await waitFor(
    () => log.includes('a:0@1'),
    () => `the first attempt, got ${JSON.stringify(log)}`,
  );
  // #0 waits for its retry and holds #1 and #2 back; a leaves before the retry is due.
  await a.close();
  bus.subscribe('balances', handlers('b'), { consumer: 'b', concurrency: 4 });
  await waitFor(
    () => log.filter((l) => l.startsWith('b:')).length === 3,
    () => `b handling 3, got ${JSON.stringify(log)}`,
  );
  expect(log).toEqual(['a:0@1', 'b:0@2', 'b:1@2', 'b:2@2']);
});

it('one circuit breaker per stream for all the partitions a consumer reads; a partition given up while it is open goes to the next holder at once', async () => {
  const catalog = testCatalog();
  const bus = newBus(server(), catalog, { partitionLeaseMs: LEASE_MS });
  // c1 sorts before c2: once both are members, c1 keeps partitions 0 and 2, c2 takes 1 and 3.
  const bad = accountIn(1);
  const failing = async (event: Envelope<Ledger>) => {
    if (event.data.accountId === bad) throw new Error('downstream down');
  };
  bus.subscribe(
    'balances',
    { 'ledger.credited': failing, 'ledger.debited': failing },
    { consumer: 'c1', circuitBreaker: { minDeliveries: 2, failureRate: 0.5, coolDownMs: 60_000 } },
  );
  await waitFor(
    async () => (await held(bus)).get('c1')?.length === LEDGER_PARTITIONS,
    () => 'c1 holding every partition',
  );
  await bus.publish('ledger.credited', { accountId: bad, seq: 0, amount: 1 });
  const c1 = async () => (await bus.health()).subscriptions.find((s) => s.consumer === 'c1')!;
  await waitFor(
    async () => (await c1()).state === 'paused',
    () => 'the breaker open',
  );
  expect((await c1()).circuitBreakers.map((b) => [b.stream, b.state])).toEqual([
    ['ledger', 'open'],
  ]);
  // Open, c1 reads no partition: this event of partition 3 waits for its next holder.
  const other = accountIn(3);
  await bus.publish('ledger.credited', { accountId: other, seq: 0, amount: 1 });
  const seen: string[] = [];
  bus.subscribe('balances', recordTo(seen), { consumer: 'c2' });
  await waitFor(
    async () => {
      const now = await held(bus);
      return now.get('c1')?.join() === '0,2' && now.get('c2')?.join() === '1,3';
    },
    () => 'c1 holding 0 and 2, c2 holding 1 and 3',
  );
  await waitFor(
    () => seen.includes(`${bad}#0`) && seen.includes(`${other}#0`),
    () => `c2 handling both events, got ${JSON.stringify(seen)}`,
  );
  // The group's downstream is still down as far as c1 knows: it stays paused, one breaker.
  const health = await c1();
  expect(health.state).toBe('paused');
  expect(health.circuitBreakers.map((b) => [b.stream, b.state])).toEqual([['ledger', 'open']]);
});

it('a consumer whose membership heartbeat fails (its key on a node that is down) keeps renewing the leases it holds and goes on reading', async () => {
  const catalog = testCatalog();
  const bus = newBus(server(), catalog, { partitionLeaseMs: LEASE_MS });
  const admin = server().client();
  const seen: string[] = [];
  const sub = bus.subscribe('balances', recordTo(seen), { consumer: 'solo' });
  await waitFor(
    async () => (await held(bus)).get('solo')?.length === LEDGER_PARTITIONS,
    () => 'solo holding every partition',
  );
  // Every heartbeat now fails (WRONGTYPE), as when the membership key's master is unreachable.
  const members = `${catalog.streams.ledger!.key}:members:balances`;
  await admin.del(members);
  await admin.set(members, 'not a sorted set');
  await waitFor(
    () => sub.state === 'reconnecting',
    () => 'the failing heartbeat reported',
  );
  // Three lease lengths pass with every partition held at every look (a lease not renewed
  // would have expired and been dropped by then).
  const until = Date.now() + 3 * LEASE_MS;
  await waitFor(
    async () => {
      expect((await held(bus)).get('solo')).toHaveLength(LEDGER_PARTITIONS);
      return Date.now() > until;
    },
    () => 'three lease lengths with every partition held',
    { timeoutMs: 10 * LEASE_MS, intervalMs: 50 },
  );
  const accounts = [...Array(LEDGER_PARTITIONS).keys()].map((p) => accountIn(p));
  await bus.publishBatch(accounts.map((a) => credited(a, 0)));
  await waitFor(
    () => accounts.every((a) => seen.includes(`${a}#0`)),
    () => `an event on every partition handled, got ${JSON.stringify(seen)}`,
  );
  await admin.del(members);
});
