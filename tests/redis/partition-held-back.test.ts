/**
 * On a partitioned stream, the events held back in a consumer's memory
 * behind a failing event of their key are bounded: past MAX_PARKED_BATCHES
 * times its batchSize the consumer reads no more of the partition (the rest
 * waits in Redis) until the retry settles, then reads on, in key order.
 */
import { expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { partitionOf } from '../../runtime/internal/partitions.js';
import { MAX_PARKED_BATCHES } from '../../runtime/redis/stream-consumer.js';
import { LEDGER_PARTITIONS, TEST_RETRY } from '../contract/catalog.js';
import { withGroups } from '../support/catalog-overrides.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();
const BATCH_SIZE = 4;
const EVENTS = 200;

interface Ledger {
  readonly accountId: string;
  readonly seq: number;
}

it('reads no more of a partition while its held-back events reach the bound, then goes on in key order', async () => {
  // Retries that go on failing as long as the test wants (no dead-lettering meanwhile).
  const catalog = testCatalog((c) =>
    withGroups(c, 'ledger', {
      retry: { ...TEST_RETRY, maxAttempts: 1000, backoff: { ...TEST_RETRY.backoff, maxMs: 50 } },
    }),
  );
  const bus = newBus(server(), catalog);
  const accountId = 'acct-held';
  const partition = partitionOf(accountId, LEDGER_PARTITIONS);
  let failing = true;
  let attempts = 0;
  const seen: number[] = [];
  const on = async (event: Envelope<Ledger>) => {
    if (event.data.seq === 0 && failing) {
      attempts++;
      throw new Error('the first event of the key fails until told otherwise');
    }
    seen.push(event.data.seq);
  };
  const sub = bus.subscribe(
    'balances',
    { 'ledger.credited': on, 'ledger.debited': on },
    { batchSize: BATCH_SIZE, concurrency: 2 },
  );
  onCleanup(() => sub.close());
  onCleanup(() => bus.close());
  await bus.publishBatch(
    Array.from({ length: EVENTS }, (_, seq) => ({
      type: 'ledger.credited',
      data: { accountId, seq, amount: 1 },
    })),
  );
  const lagOfPartition = async () => {
    const ledger = (await bus.inspect()).streams.find((s) => s.name === 'ledger')!;
    return ledger.partitions![partition]!.groups.find((g) => g.name === 'balances')!.lag ?? 0;
  };
  // Several failed attempts: time enough for an unbounded consumer to read all 200.
  await waitFor(
    () => attempts >= 4,
    () => `4 failed attempts, got ${attempts}`,
  );
  const bound = MAX_PARKED_BATCHES * BATCH_SIZE;
  // What was read is the failing event, the held-back ones (the bound and at most one read more)
  // and what waits for a handler slot: the rest is still in Redis.
  expect(await lagOfPartition()).toBeGreaterThanOrEqual(EVENTS - 1 - bound - 2 * BATCH_SIZE);
  expect(seen).toEqual([]);
  failing = false;
  await waitFor(
    () => seen.length === EVENTS,
    () => `${EVENTS} handled, got ${seen.length}`,
  );
  expect(seen).toEqual(Array.from({ length: EVENTS }, (_, seq) => seq));
  expect(await lagOfPartition()).toBe(0);
});
