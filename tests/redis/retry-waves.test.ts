/**
 * Retries follow their backoff however many fail at once: a claim scan takes
 * at most as many entries as the consumer has room for, and every retry due
 * makes a scan run then, so what one scan could not take is taken by the
 * next one as slots free, not after the claim interval (found by a new
 * user: 40 events failing once came back in waves, 5 s apart).
 */
import { expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

it('more events failing at once than a scan has room for are all retried, none left for the claim interval', async () => {
  // The periodic scan is 10 minutes away: only the scans the retries ask for can bring them back.
  const bus = newBus(server(), testCatalog(), { claimIntervalMs: 600_000 });
  const attempts = new Map<number, number>();
  const sub = bus.subscribe(
    'workers',
    {
      'job.requested': async (event: Envelope<Job>, ctx) => {
        attempts.set(event.data.seq, ctx.attempt);
        if (ctx.attempt === 1) throw new Error('downstream blip');
      },
    },
    { concurrency: 5, batchSize: 5 },
  );
  await bus.publishBatch(jobs(40));
  await waitFor(
    () => attempts.size === 40 && [...attempts.values()].every((a) => a === 2),
    () =>
      `every event handled on its second attempt; at attempt 2: ${[...attempts.values()].filter((a) => a === 2).length} of ${attempts.size}`,
  );
  expect(bus.stats().deadLettered).toBe(0);
  await sub.close();
});

it('on a partitioned stream too: the held-back events of every failing key go on once its retry ran', async () => {
  const bus = newBus(server(), testCatalog(), { claimIntervalMs: 600_000 });
  const accounts = Array.from({ length: 16 }, (_, i) => `acct-${i}`);
  const handled: string[] = [];
  const on = async (
    event: Envelope<{ accountId: string; seq: number }>,
    ctx: { attempt: number },
  ) => {
    if (event.data.seq === 0 && ctx.attempt === 1) throw new Error('downstream blip');
    handled.push(`${event.data.accountId}#${event.data.seq}`);
  };
  const sub = bus.subscribe(
    'balances',
    { 'ledger.credited': on, 'ledger.debited': on },
    { concurrency: 2, batchSize: 2 },
  );
  await bus.publishBatch(
    [0, 1, 2, 3, 4].flatMap((seq) =>
      accounts.map((accountId) => ({
        type: 'ledger.credited',
        data: { accountId, seq, amount: 1 },
      })),
    ),
  );
  await waitFor(
    () => handled.length === 80,
    () => `80 events handled, got ${handled.length}`,
  );
  for (const account of accounts) {
    expect(handled.filter((h) => h.startsWith(`${account}#`))).toEqual(
      [0, 1, 2, 3, 4].map((seq) => `${account}#${seq}`),
    );
  }
  await sub.close();
});
