/** Poison entries go to the DLQ at once; DLQ replay reaches only the failing group. */
import { expect, it } from 'vitest';
import type { DeadLetter, Envelope } from '../../../runtime/bus.js';
import { NonRetryableError } from '../../../runtime/errors.js';
import { collect, waitFor } from '../../support/wait.js';
import { orderPlacedData } from '../catalog.js';
import { groupDrained, type Job, jobs } from '../helpers.js';
import type { ContractContext } from '../suite.js';

async function deadLetters(list: () => Promise<DeadLetter[]>, n: number): Promise<DeadLetter[]> {
  let last: DeadLetter[] = [];
  await waitFor(
    async () => {
      last = await list();
      return last.length >= n;
    },
    () => `${n} dead letters, got ${JSON.stringify(last)}`,
  );
  return last;
}

export function deadLetterCases({ h }: ContractContext): void {
  it('NonRetryableError sends the event to the DLQ at once, with attempts 1', async () => {
    const { bus } = h();
    const attempts: number[] = [];
    bus.subscribe('workers', {
      'job.requested': async (_event, ctx) => {
        attempts.push(ctx.attempt);
        throw new NonRetryableError('card declined');
      },
    });
    const [published] = await bus.publishBatch(jobs(1));
    const [letter] = await deadLetters(() => bus.dlq('jobs').list(), 1);
    expect(letter).toMatchObject({
      group: 'workers',
      entryId: published!.entryId,
      reason: 'non-retryable',
      attempts: 1,
    });
    expect(letter!.error).toMatch(/card declined/);
    expect(letter!.firstFailureAt).toBe(letter!.lastFailureAt);
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    expect(attempts).toEqual([1]);
  });

  it('an undecodable entry goes to the DLQ and the consumer goes on with the next ones', async () => {
    const { bus } = h();
    const seen: number[] = [];
    bus.subscribe('workers', {
      'job.requested': async (event: Envelope<Job>) => void seen.push(event.data.seq),
    });
    const garbage = { type: 'job.requested', data: '{"jobId": oops', note: 'no specversion' };
    const badId = await bus.appendRaw('jobs', garbage);
    const notJson = await bus.appendRaw('jobs', {
      specversion: '1.0',
      id: 'x',
      type: 'job.requested',
      data: '{"jobId": oops',
    });
    await bus.publishBatch(jobs(3));
    expect(await collect(seen, 3)).toEqual([0, 1, 2]);
    const letters = await deadLetters(() => bus.dlq('jobs').list(), 2);
    expect(letters.map((l) => [l.entryId, l.reason, l.group, l.attempts])).toEqual([
      [badId, 'undecodable', 'workers', 1],
      [notJson, 'undecodable', 'workers', 1],
    ]);
    expect(letters[0]!.fields).toEqual(garbage);
    expect(letters[1]!.error).toMatch(/JSON/);
  });

  it('DLQ replay delivers the event again to the failing group only', async () => {
    const { bus } = h();
    let failBilling = true;
    const calls: string[] = [];
    const ok = (group: string) => async (event: Envelope) =>
      void calls.push(`${group}:${event.id}`);
    bus.subscribe('billing', {
      'order.placed': async (event, ctx) => {
        calls.push(`billing:${event.id}:${ctx.attempt}`);
        if (failBilling) throw new NonRetryableError('ledger closed');
      },
      'order.cancelled': ok('billing'),
    });
    bus.subscribe('audit', { 'order.placed': ok('audit'), 'order.cancelled': ok('audit') });
    bus.subscribe('shipping', { 'order.placed': ok('shipping') });
    const published = await bus.publish('order.placed', orderPlacedData());
    const [letter] = await deadLetters(() => bus.dlq('orders').list(), 1);
    expect(letter).toMatchObject({ group: 'billing', entryId: published.entryId });
    await waitFor(() => calls.length >= 3);
    failBilling = false;
    const replayed = await bus.dlq('orders').replay(letter!.id);
    expect(replayed).toMatchObject({ id: published.id, type: 'order.placed', stream: 'orders' });
    expect(replayed.entryId).not.toBe(published.entryId);
    await waitFor(
      () => calls.length >= 4,
      () => `billing handles the replay: ${calls}`,
    );
    for (const group of ['billing', 'audit', 'shipping']) {
      await waitFor(
        () => groupDrained(bus, 'orders', group),
        () => `${group} drained`,
      );
    }
    expect(calls.sort()).toEqual(
      [
        `audit:${published.id}`,
        `billing:${published.id}:1`,
        `billing:${published.id}:1`,
        `shipping:${published.id}`,
      ].sort(),
    );
    expect(await bus.dlq('orders').count()).toBe(0);
  });

  it('DLQ list pages and filters, replayAll replays the matching ones, purge deletes', async () => {
    const { bus } = h();
    let fail = true;
    const handled: number[] = [];
    bus.subscribe('workers', {
      'job.requested': async (event: Envelope<Job>) => {
        if (fail) throw new NonRetryableError(`no ${event.data.seq}`);
        handled.push(event.data.seq);
      },
    });
    const published = await bus.publishBatch(jobs(3));
    const dlq = bus.dlq('jobs');
    const all = await deadLetters(() => dlq.list(), 3);
    expect(all.map((l) => l.entryId)).toEqual(published.map((p) => p.entryId));
    expect(await dlq.count()).toBe(3);
    expect((await dlq.list({ count: 2 })).map((l) => l.id)).toEqual([all[0]!.id, all[1]!.id]);
    expect((await dlq.list({ after: all[1]!.id })).map((l) => l.id)).toEqual([all[2]!.id]);
    expect(await dlq.list({ reason: 'exhausted' })).toEqual([]);
    expect(await dlq.list({ group: 'workers', type: 'job.requested' })).toHaveLength(3);
    fail = false;
    expect(await dlq.replayAll({ ids: [all[0]!.id] })).toBe(1);
    expect(await collect(handled, 1)).toEqual([0]);
    expect(await dlq.purge({ group: 'someone-else' })).toBe(0);
    expect(await dlq.purge({ group: 'workers' })).toBe(2);
    expect(await dlq.count()).toBe(0);
    expect(await dlq.replayAll()).toBe(0);
  });

  it('a group without a DLQ drops exhausted entries, still counted as dead-lettered', async () => {
    const { bus } = h();
    const attempts: number[] = [];
    bus.subscribe('quiet', {
      'job.requested': async (_event, ctx) => {
        attempts.push(ctx.attempt);
        throw new Error('always');
      },
    });
    await bus.publishBatch(jobs(1));
    await waitFor(
      () => bus.stats().deadLettered === 1,
      () => `dead-lettered, attempts ${attempts}`,
    );
    await waitFor(() => groupDrained(bus, 'jobs', 'quiet'));
    expect(attempts).toEqual([1, 2]);
    expect(await bus.dlq('jobs').count()).toBe(0);
  });
}
