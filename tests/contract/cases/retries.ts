/** A throwing handler is retried with growing backoff until maxAttempts, then dead-lettered. */
import { expect, it } from 'vitest';
import type { Envelope } from '../../../runtime/bus.js';
import { minRetryDelayMs } from '../../../runtime/internal/backoff.js';
import { collect, waitFor } from '../../support/wait.js';
import { groupDrained, type Job, jobs } from '../helpers.js';
import type { ContractContext } from '../suite.js';

/** Timers may fire a little before the wall clock says the delay passed. */
const TIMER_SLACK_MS = 3;

export function retryCases({ h }: ContractContext): void {
  it('retries with growing backoff up to maxAttempts, then dead-letters as "exhausted"', async () => {
    const { bus, catalog } = h();
    const policy = catalog.streams.jobs!.groups.workers!.retry;
    expect(policy.maxAttempts).toBe(4);
    const attempts: Array<{ attempt: number; at: number; maxAttempts: number }> = [];
    bus.subscribe('workers', {
      'job.requested': async (_event, ctx) => {
        attempts.push({ attempt: ctx.attempt, at: Date.now(), maxAttempts: ctx.maxAttempts });
        throw new Error(`boom on attempt ${ctx.attempt}`);
      },
    });
    const [item] = jobs(1);
    const published = await bus.publish(item!.type, item!.data);
    const [letter] = await waitFor(
      async () => {
        const letters = await bus.dlq('jobs').list();
        return letters.length > 0 ? letters : undefined;
      },
      () => `a dead letter; attempts so far ${JSON.stringify(attempts)}`,
    );
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3, 4]);
    expect(attempts.every((a) => a.maxAttempts === 4)).toBe(true);
    for (let i = 1; i < attempts.length; i++) {
      const gap = attempts[i]!.at - attempts[i - 1]!.at;
      expect(gap, `gap before attempt ${i + 1}`).toBeGreaterThanOrEqual(
        minRetryDelayMs(policy, i) - TIMER_SLACK_MS,
      );
    }
    expect(letter).toMatchObject({
      stream: 'jobs',
      group: 'workers',
      entryId: published.entryId,
      reason: 'exhausted',
      attempts: 4,
      type: 'job.requested',
    });
    expect(letter!.error).toMatch(/boom on attempt 4/);
    const first = Date.parse(letter!.firstFailureAt);
    const last = Date.parse(letter!.lastFailureAt);
    expect(Number.isNaN(first)).toBe(false);
    expect(last).toBeGreaterThanOrEqual(first);
    expect(last - first).toBeGreaterThanOrEqual(
      minRetryDelayMs(policy, 1) + minRetryDelayMs(policy, 2) + minRetryDelayMs(policy, 3) - 10,
    );
    expect(letter!.event).toMatchObject({ id: published.id, data: item!.data });
    await waitFor(
      () => groupDrained(bus, 'jobs', 'workers'),
      () => 'workers drained',
    );
    expect(bus.stats()).toMatchObject({ retried: 3, deadLettered: 1, acked: 0, delivered: 4 });
    expect(await bus.dlq('jobs').count()).toBe(1);
  });

  it('a handler that succeeds on a later attempt is acked and not dead-lettered', async () => {
    const { bus } = h();
    const attempts: number[] = [];
    const done: number[] = [];
    bus.subscribe('workers', {
      'job.requested': async (event: Envelope<Job>, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 3) throw new Error('not yet');
        done.push(event.data.seq);
      },
    });
    await bus.publishBatch(jobs(1));
    await collect(done, 1);
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    expect(attempts).toEqual([1, 2, 3]);
    expect(await bus.dlq('jobs').count()).toBe(0);
    expect(bus.stats()).toMatchObject({ retried: 2, acked: 1, deadLettered: 0 });
  });
}
