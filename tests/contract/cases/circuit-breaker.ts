/**
 * The circuit breaker (opt-in, `SubscribeOptions.circuitBreaker`): it opens
 * after the threshold and delivers nothing while open (no attempt spent),
 * tries one delivery after the cool-down (its failure opens it again, its
 * success closes it and the waiting entries are handled), shows in
 * health(), and counts neither NonRetryableError nor what isFailure rejects.
 */
import { expect, it } from 'vitest';
import type { Envelope } from '../../../runtime/bus.js';
import { NonRetryableError } from '../../../runtime/errors.js';
import { waitFor } from '../../support/wait.js';
import { groupDrained, type Job, jobs } from '../helpers.js';
import type { ContractContext } from '../suite.js';

/** Timers may fire a little before the wall clock says the delay passed. */
const TIMER_SLACK_MS = 3;
const COOL_DOWN_MS = 400;

interface Call {
  readonly seq: number;
  readonly attempt: number;
  readonly at: number;
}

export function circuitBreakerCases({ h }: ContractContext): void {
  it('opens after the threshold, delivers nothing while open, re-opens on a failed probe, closes on a good one', async () => {
    const { bus } = h();
    const calls: Call[] = [];
    const handled = new Set<number>();
    let failuresLeft = 4; // three open it, the first probe fails too
    const sub = bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>, ctx) => {
          calls.push({ seq: event.data.seq, attempt: ctx.attempt, at: Date.now() });
          if (failuresLeft > 0) {
            failuresLeft--;
            throw new Error('database down');
          }
          handled.add(event.data.seq);
        },
      },
      {
        circuitBreaker: {
          failureRate: 0.5,
          minDeliveries: 3,
          windowMs: 10_000,
          coolDownMs: COOL_DOWN_MS,
        },
      },
    );
    await bus.publishBatch(jobs(6));
    await waitFor(
      () => sub.state === 'paused',
      () => `state paused; state ${sub.state}, calls ${JSON.stringify(calls)}`,
    );
    expect(calls).toHaveLength(3);
    const health = await bus.health();
    expect(health.status).toBe('degraded');
    const workers = health.subscriptions.find((s) => s.group === 'workers');
    expect(workers?.state).toBe('paused');
    expect(workers?.lastError).toMatch(
      /circuit breaker of group "workers" on stream "jobs" is open/,
    );
    expect(workers?.circuitBreakers).toHaveLength(1);
    expect(workers?.circuitBreakers[0]).toMatchObject({
      stream: 'jobs',
      lastFailure: 'database down',
    });
    expect(['open', 'half-open']).toContain(workers?.circuitBreakers[0]?.state);

    await waitFor(
      () => handled.size === 6,
      () => `all 6 handled; handled ${[...handled]}, calls ${JSON.stringify(calls)}`,
    );
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    // The first probe only after the cool-down; the second one a cool-down after the first failed.
    expect(calls[3]!.at - calls[2]!.at).toBeGreaterThanOrEqual(COOL_DOWN_MS - TIMER_SLACK_MS);
    expect(calls[4]!.at - calls[3]!.at).toBeGreaterThanOrEqual(COOL_DOWN_MS - TIMER_SLACK_MS);
    // 4 failures and 6 successes, nothing more; no attempt spent without a handler run.
    expect(calls).toHaveLength(10);
    for (let seq = 0; seq < 6; seq++) {
      const attempts = calls.filter((c) => c.seq === seq).map((c) => c.attempt);
      expect(attempts, `attempts of job ${seq}`).toEqual(attempts.map((_, i) => i + 1));
    }
    expect(await bus.dlq('jobs').count()).toBe(0);
    expect(sub.state).toBe('running');
    const after = (await bus.health()).subscriptions.find((s) => s.group === 'workers');
    expect(after).toMatchObject({
      state: 'running',
      lastError: null,
      circuitBreakers: [{ stream: 'jobs', state: 'closed', lastFailure: null }],
    });
  });

  it('counts neither NonRetryableError nor the errors isFailure rejects', async () => {
    const { bus } = h();
    let mode: 'bad events' | 'down' = 'bad events';
    const calls: Call[] = [];
    const sub = bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>, ctx) => {
          calls.push({ seq: event.data.seq, attempt: ctx.attempt, at: Date.now() });
          if (mode === 'down') throw new Error('database down');
          if (event.data.seq < 3) throw new NonRetryableError('this job is malformed');
          throw new Error('job rejected by validation');
        },
      },
      {
        circuitBreaker: {
          failureRate: 0.5,
          minDeliveries: 3,
          windowMs: 60_000,
          coolDownMs: 60_000,
          isFailure: (error) => error instanceof Error && error.message.includes('down'),
        },
      },
    );
    await bus.publishBatch(jobs(6));
    // 3 dead-lettered at once, 3 after their 4 attempts: 15 deliveries, none counted as a failure
    // (had the breaker opened, its 60 s cool-down would keep these letters from coming).
    await waitFor(
      async () => (await bus.dlq('jobs').count()) === 6,
      () => `6 dead letters; state ${sub.state}, ${calls.length} calls`,
    );
    expect(calls).toHaveLength(15);
    expect(sub.state).toBe('running');
    // Now failures that count: 15 good deliveries in the window, so the 16th failure opens it.
    mode = 'down';
    await bus.publishBatch(jobs(20));
    await waitFor(
      () => sub.state === 'paused',
      () => `state paused; state ${sub.state}, ${calls.length} calls`,
    );
    expect(calls.length - 15).toBe(16);
    const workers = (await bus.health()).subscriptions.find((s) => s.group === 'workers');
    expect(workers?.circuitBreakers).toEqual([
      { stream: 'jobs', state: 'open', lastFailure: 'database down' },
    ]);
  });
}
