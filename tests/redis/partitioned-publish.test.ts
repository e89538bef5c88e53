/**
 * Partitioned streams on Redis, the publish side: every publish path appends
 * an event to the partition key `partitionOf(payload[partitionKey], N)`
 * chooses, bootstrap creates each group on every partition key, and the keys
 * beside an entry (dedup markers) share its partition's hash tag.
 */
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../runtime/catalog.js';
import { UnderReplicatedError } from '../../runtime/errors.js';
import { encodeDeadLetter } from '../../runtime/internal/dead-letter-fields.js';
import { encodeEnvelope } from '../../runtime/internal/entry-codec.js';
import { createEnvelope } from '../../runtime/internal/envelope.js';
import { partitionKeys, partitionOf } from '../../runtime/internal/partitions.js';
import { LEDGER_PARTITIONS } from '../contract/catalog.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();
const ACCOUNTS = ['acc-1', 'acc-2', 'acc-3', 'acc-4', 'acc-5', 'acc-6', 'acc-7', 'acc-8'];

/** The test catalogue with `ledger.credited` also realtime on `ledger-live` (`ledger:{accountId}`). */
function withLedgerChannel(catalog: Catalog): Catalog {
  return {
    ...catalog,
    channels: {
      ...catalog.channels,
      'ledger-live': {
        name: 'ledger-live',
        pattern: 'ledger:{accountId}',
        params: ['accountId'],
        prefix: `${catalog.namespace}:`,
        events: ['ledger.credited'],
      },
    },
    events: {
      ...catalog.events,
      'ledger.credited': { ...catalog.events['ledger.credited']!, channel: 'ledger-live' },
    },
  };
}

/** accountId of every entry on each partition key, in stream order. */
async function accountsPerKey(catalog: Catalog): Promise<Map<string, string[]>> {
  const admin = server().client();
  const out = new Map<string, string[]>();
  for (const { key } of partitionKeys(catalog.streams.ledger!)) {
    const entries = await admin.xrange(key, '-', '+');
    out.set(
      key,
      entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('v1') + 1]!).data.accountId),
    );
  }
  return out;
}

function expectRouted(perKey: Map<string, string[]>, want: number): void {
  let total = 0;
  for (const [key, accounts] of perKey) {
    for (const account of accounts) {
      expect(key).toMatch(new RegExp(`:ledger:p${partitionOf(account, LEDGER_PARTITIONS)}}$`));
    }
    total += accounts.length;
  }
  expect(total).toBe(want);
  // The accounts spread: more than one partition key holds entries.
  expect([...perKey.values()].filter((a) => a.length > 0).length).toBeGreaterThan(1);
}

describe('partitioned stream on Redis: publish', () => {
  it('routes publish and publishBatch by the partition key, and reports the partition', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const one = await Promise.all(
      ACCOUNTS.map((accountId, seq) =>
        bus.publish('ledger.credited', { accountId, seq, amount: 10 }),
      ),
    );
    const batch = await bus.publishBatch(
      ACCOUNTS.map((accountId, seq) => ({
        type: 'ledger.debited',
        data: { accountId, seq: seq + 100, amount: 5 },
      })),
    );
    for (const [i, published] of [...one, ...batch].entries()) {
      expect(published.stream).toBe('ledger');
      expect(published.partition).toBe(
        partitionOf(ACCOUNTS[i % ACCOUNTS.length]!, LEDGER_PARTITIONS),
      );
    }
    const perKey = await accountsPerKey(catalog);
    expectRouted(perKey, 16);
    // An unpartitioned stream is untouched: no partition in Published.
    const job = await bus.publish('job.requested', { jobId: 'j', key: 'k', seq: 1 });
    expect(job.partition).toBeUndefined();
    expect(await server().client().xlen(catalog.streams.jobs!.key)).toBe(1);
  });

  it('keeps idempotent publish per event id, the marker in the partition hash tag', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog, { idempotentPublish: { ttlMs: 60_000 } });
    const data = { accountId: 'acc-3', seq: 1, amount: 7 };
    const first = await bus.publish('ledger.credited', data, { id: 'event-1' });
    const again = await bus.publish('ledger.credited', data, { id: 'event-1' });
    expect(again.entryId).toBe(first.entryId);
    const key = partitionKeys(catalog.streams.ledger!)[partitionOf('acc-3', LEDGER_PARTITIONS)]!
      .key;
    expect(await server().client().xlen(key)).toBe(1);
    expect(await server().client().pttl(`${key}:dedup:event-1`)).toBeGreaterThan(0);
  });

  it('publishes a stream + realtime event on its partition and its channel', async () => {
    const catalog = withLedgerChannel(testCatalog());
    const bus = newBus(server(), catalog);
    const heard: string[] = [];
    const off = await bus.onRealtime('ledger-live', {}, (e) => void heard.push(e.id));
    const published = await Promise.all(
      ACCOUNTS.map((accountId, seq) =>
        bus.publish('ledger.credited', { accountId, seq, amount: 1 }),
      ),
    );
    await collect(heard, ACCOUNTS.length);
    await off();
    expect(heard.sort()).toEqual(published.map((p) => p.id).sort());
    expectRouted(await accountsPerKey(catalog), ACCOUNTS.length);
  });

  it('waits for replicas on the partition key it wrote (none here: UnderReplicatedError with what was stored)', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const error = await bus
      .publish(
        'ledger.debited',
        { accountId: 'acc-5', seq: 1, amount: 1 },
        { waitForReplicas: { replicas: 1, timeoutMs: 10 } },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(UnderReplicatedError);
    const [stored] = (error as UnderReplicatedError).published;
    expect(stored?.partition).toBe(partitionOf('acc-5', LEDGER_PARTITIONS));
    expectRoutedSingle(await accountsPerKey(catalog), 'acc-5');
  });

  it('appendRaw routes a schemabus entry by its payload', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const document = JSON.stringify({
      id: 'raw-1',
      source: 's',
      time: '',
      data: { accountId: 'acc-7', seq: 1, amount: 1 },
    });
    await bus.appendRaw('ledger', { type: 'ledger.credited', v1: document });
    expectRoutedSingle(await accountsPerKey(catalog), 'acc-7');
  });

  it('bootstrap creates every group on every partition key', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    const report = await bus.bootstrap();
    const ledger = report.streams.find((s) => s.name === 'ledger')!;
    expect(ledger.status).toBe('created');
    expect(ledger.groups).toEqual([{ name: 'balances', startFrom: 'earliest', status: 'created' }]);
    expect(ledger.partitions?.map((p) => [p.key, p.status])).toEqual(
      partitionKeys(catalog.streams.ledger!).map((p) => [p.key, 'created']),
    );
    for (const { key } of partitionKeys(catalog.streams.ledger!)) {
      const groups = (await server().client().xinfo('GROUPS', key)) as unknown[][];
      expect(groups.map((g) => g[1])).toEqual(['balances']);
    }
    const again = await bus.bootstrap();
    expect(again.streams.find((s) => s.name === 'ledger')?.status).toBe('found');
  });
});

function expectRoutedSingle(perKey: Map<string, string[]>, account: string): void {
  const holding = [...perKey].filter(([, accounts]) => accounts.length > 0);
  expect(holding).toHaveLength(1);
  expect(holding[0]![1]).toEqual([account]);
  expect(holding[0]![0]).toMatch(
    new RegExp(`:ledger:p${partitionOf(account, LEDGER_PARTITIONS)}}$`),
  );
}

describe('partitioned stream on Redis: DLQ and inspect', () => {
  /** Dead-letters `accountId`'s event into its partition's DLQ key, as the consumer would. */
  async function deadLetter(catalog: Catalog, accountId: string, seq: number): Promise<void> {
    const partition = partitionKeys(catalog.streams.ledger!)[
      partitionOf(accountId, LEDGER_PARTITIONS)
    ]!;
    const envelope = createEnvelope(catalog, 'ledger.credited', { accountId, seq, amount: 1 });
    const now = new Date().toISOString();
    const fields = encodeDeadLetter(
      {
        group: 'balances',
        entryId: '1-0',
        reason: 'exhausted',
        error: 'boom',
        attempts: 3,
        firstFailureAt: now,
        lastFailureAt: now,
      },
      encodeEnvelope(envelope),
    );
    await server()
      .client()
      .xadd(partition.dlqKey, '*', ...fields);
  }

  it('lists, counts, replays (to the own partition) and purges across the partitions', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    for (const [seq, accountId] of ACCOUNTS.entries()) await deadLetter(catalog, accountId, seq);
    const dlq = bus.dlq('ledger');
    expect(await dlq.count()).toBe(ACCOUNTS.length);
    const letters = await dlq.list();
    expect(letters.map((l) => (l.event!.data as { accountId: string }).accountId).sort()).toEqual(
      [...ACCOUNTS].sort(),
    );
    for (const letter of letters) {
      const account = (letter.event!.data as { accountId: string }).accountId;
      expect(letter.partition).toBe(partitionOf(account, LEDGER_PARTITIONS));
      expect(letter.id).toMatch(/^p\d+:\d+-\d+$/);
    }
    const page = await dlq.list({ count: 3 });
    const rest = await dlq.list({ after: page[2]!.id });
    expect([...page, ...rest].map((l) => l.id)).toEqual(letters.map((l) => l.id));
    const inspected = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!;
    expect(inspected.dlqLength).toBe(ACCOUNTS.length);
    expect(inspected.partitions).toHaveLength(LEDGER_PARTITIONS);
    const first = letters[0]!;
    const replayed = await dlq.replay(first.id);
    expect(replayed.partition).toBe(first.partition);
    const own = partitionKeys(catalog.streams.ledger!)[first.partition!]!.key;
    const stored = await server().client().xrange(own, '-', '+');
    expect(stored).toHaveLength(1);
    expect(stored[0]![1]).toContain('replayfor');
    const after = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!;
    expect(after.length).toBe(1);
    expect(after.partitions!.map((p) => p.length)).toEqual(
      partitionKeys(catalog.streams.ledger!).map((p) => (p.index === first.partition ? 1 : 0)),
    );
    expect(await dlq.purge({ ids: [letters[1]!.id] })).toBe(1);
    expect(await dlq.replayAll()).toBe(ACCOUNTS.length - 2);
    expect(await dlq.count()).toBe(0);
  });
});

describe('partitioned stream on Redis: tail', () => {
  it('follows every partition key, each entry with its partition', async () => {
    const catalog = testCatalog();
    const bus = newBus(server(), catalog);
    await bus.publishBatch(
      ACCOUNTS.map((accountId, seq) => ({
        type: 'ledger.credited',
        data: { accountId, seq, amount: 1 },
      })),
    );
    const controller = new AbortController();
    const seen: { account: string; partition: number | undefined }[] = [];
    for await (const entry of bus.tail('ledger', { from: '0', signal: controller.signal })) {
      if (!entry.decoded.ok) throw new Error(entry.decoded.reason);
      seen.push({
        account: (entry.decoded.envelope.data as { accountId: string }).accountId,
        partition: entry.partition,
      });
      if (seen.length === ACCOUNTS.length) controller.abort();
    }
    expect(seen.map((s) => s.account).sort()).toEqual([...ACCOUNTS].sort());
    for (const { account, partition } of seen) {
      expect(partition).toBe(partitionOf(account, LEDGER_PARTITIONS));
    }
  });
});

describe('partitioned stream on Redis: retention', () => {
  it('keeps maxLen on each partition key', async () => {
    const catalog = testCatalog((c) => ({
      ...c,
      streams: {
        ...c.streams,
        ledger: { ...c.streams.ledger!, retention: { maxLen: 3 }, groups: {} },
      },
    }));
    const bus = newBus(server(), catalog, { retention: { everyPublishes: 1, trim: 'exact' } });
    const [a, b] = ['acc-1', 'acc-2'];
    expect(partitionOf(a, LEDGER_PARTITIONS)).not.toBe(partitionOf(b, LEDGER_PARTITIONS));
    for (let seq = 0; seq < 10; seq++) {
      await bus.publish('ledger.credited', { accountId: a, seq, amount: 1 });
      await bus.publish('ledger.credited', { accountId: b, seq, amount: 1 });
    }
    const keys = partitionKeys(catalog.streams.ledger!);
    const lengthOf = (account: string) =>
      server().client().xlen(keys[partitionOf(account, LEDGER_PARTITIONS)]!.key);
    // Trims run after publishes (not awaited): wait until both keys are back at maxLen.
    await waitFor(async () => (await lengthOf(a)) === 3 && (await lengthOf(b)) === 3);
    const inspected = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!;
    expect(inspected.length).toBe(6);
  });
});

describe('bootstrap after a change of the partition count', () => {
  const withPartitions = (catalog: Catalog, count: number): Catalog => {
    const ledger = catalog.streams.ledger!;
    return {
      ...catalog,
      streams: {
        ...catalog.streams,
        ledger: { ...ledger, partitions: { ...ledger.partitions!, count } },
      },
    };
  };
  const ledgerOf = async (catalog: Catalog) =>
    (await newBus(server(), catalog).bootstrap()).streams.find((s) => s.name === 'ledger')!;

  it('warns when partitions were raised (some existed, the new ones did not) and when lowered (one beyond the count exists); none on a steady count', async () => {
    const catalog = testCatalog();
    expect((await ledgerOf(catalog)).warnings).toBeUndefined();
    expect((await ledgerOf(catalog)).warnings).toBeUndefined();
    const raised = await ledgerOf(withPartitions(catalog, LEDGER_PARTITIONS + 2));
    expect(raised.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `${LEDGER_PARTITIONS} of its ${LEDGER_PARTITIONS + 2} partitions existed and p${LEDGER_PARTITIONS}, p${LEDGER_PARTITIONS + 1} did not: if \`partitions\` was raised, keys now route to other partitions`,
        ),
      ),
    ]);
    const lowered = await ledgerOf(withPartitions(catalog, 2));
    expect(lowered.warnings).toEqual([
      expect.stringMatching(
        /:p2\} exists beyond the catalogue's 2 partitions: if `partitions` was lowered, nothing reads what is left there/,
      ),
    ]);
  });
});
