/** InMemoryEventBus on a ManualClock: exact backoff, claim times and maxAge retention without waiting. */
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../runtime/catalog.js';
import type { Clock } from '../../runtime/index.js';
import { InMemoryEventBus, ManualClock } from '../../runtime/index.js';
import { createTestCatalog } from '../contract/catalog.js';
import { jobs } from '../contract/helpers.js';

/** Lets every queued microtask and immediate run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function setup(catalog: Catalog = createTestCatalog('fake')) {
  const clock = new ManualClock();
  const bus = new InMemoryEventBus({ catalog, clock, random: () => 0.5 });
  return { clock, bus };
}

/**
 * A clock whose timers fire 1 ms before they are due, and whose time moves
 * on by 1 ms right after the first read inside a firing timer: the
 * millisecond boundary a real clock can cross between two reads (Node's
 * timers may fire a moment before `Date.now()` reaches their time).
 */
class EarlyTimerClock implements Clock {
  #now = 1_000_000;
  #timers: { fn: () => void; at: number }[] = [];
  #tickOnRead = false;

  now(): number {
    const now = this.#now;
    if (this.#tickOnRead) {
      this.#tickOnRead = false;
      this.#now += 1;
    }
    return now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { fn, at: this.#now + ms };
    this.#timers.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t !== handle);
  }

  /** Fires the earliest timer a millisecond early; false when none is set. */
  fireNextEarly(): boolean {
    const next = this.#timers.sort((a, b) => a.at - b.at).shift();
    if (next === undefined) return false;
    this.#now = Math.max(this.#now, next.at - 1);
    this.#tickOnRead = true;
    next.fn();
    return true;
  }
}

describe('InMemoryEventBus on a manual clock', () => {
  it('hands a retry over when its timer fires a moment early and the clock crosses its time meanwhile', async () => {
    const clock = new EarlyTimerClock();
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('early'), clock });
    const attempts: number[] = [];
    bus.subscribe('workers', {
      'job.requested': async (_e, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt === 1) throw new Error('transient');
      },
    });
    await bus.publishBatch(jobs(1));
    await flush();
    expect(attempts).toEqual([1]);
    // Before the fix the early timer found nothing due and set no new one: the retry never came.
    for (let fired = 0; attempts.length < 2 && fired < 10; fired++) {
      if (!clock.fireNextEarly()) break;
      await flush();
    }
    expect(attempts).toEqual([1, 2]);
    await bus.close();
  });

  it('retries after exactly initialMs * factor^(n-1), then dead-letters', async () => {
    const { clock, bus } = setup();
    const start = clock.now();
    const attempts: Array<[number, number]> = [];
    bus.subscribe('workers', {
      'job.requested': async (_e, ctx) => {
        attempts.push([ctx.attempt, clock.now() - start]);
        throw new Error('no');
      },
    });
    await bus.publishBatch(jobs(1));
    await flush();
    expect(attempts).toEqual([[1, 0]]);
    clock.advance(19);
    await flush();
    expect(attempts).toHaveLength(1);
    clock.advance(1);
    await flush();
    expect(attempts).toEqual([
      [1, 0],
      [2, 20],
    ]);
    clock.advance(40);
    await flush();
    clock.advance(80);
    await flush();
    expect(attempts).toEqual([
      [1, 0],
      [2, 20],
      [3, 60],
      [4, 140],
    ]);
    const [letter] = await bus.dlq('jobs').list();
    expect(letter).toMatchObject({
      reason: 'exhausted',
      attempts: 4,
      firstFailureAt: new Date(start).toISOString(),
      lastFailureAt: new Date(start + 140).toISOString(),
    });
    expect(clock.pendingTimers).toBe(0);
    await bus.close();
  });

  it('an abandoned entry is claimable exactly claimIdleMs after close gave up', async () => {
    const { clock, bus } = setup();
    const a = bus.subscribe(
      'workers',
      { 'job.requested': () => new Promise<void>(() => {}) },
      { consumer: 'a' },
    );
    await bus.publishBatch(jobs(1));
    await flush();
    const closing = a.close({ timeoutMs: 100 });
    clock.advance(100);
    await closing;
    const got: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (_e, ctx) => void got.push(ctx.attempt) },
      { consumer: 'b' },
    );
    clock.advance(299);
    await flush();
    expect(got).toEqual([]);
    clock.advance(1);
    await flush();
    expect(got).toEqual([2]);
    await bus.close();
  });

  it('a consumer restarted under the same name re-reads its own pending entries at once', async () => {
    const { bus } = setup();
    const a = bus.subscribe(
      'workers',
      { 'job.requested': () => new Promise<void>(() => {}) },
      { consumer: 'same' },
    );
    await bus.publishBatch(jobs(2));
    await flush();
    await a.close({ timeoutMs: 0 });
    const got: Array<[number, number]> = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (e, ctx) =>
          void got.push([(e.data as { seq: number }).seq, ctx.attempt]),
      },
      { consumer: 'same' },
    );
    await flush();
    await flush();
    expect(got).toEqual([
      [0, 2],
      [1, 2],
    ]);
    await bus.close();
  });

  it('maxAge retention drops old entries on publish once every group read them', async () => {
    const base = createTestCatalog('age');
    const catalog: Catalog = {
      ...base,
      streams: {
        ...base.streams,
        metrics: { ...base.streams.metrics!, retention: { maxAgeMs: 1000 } },
      },
    };
    const { clock, bus } = setup(catalog);
    await bus.bootstrap();
    for (let i = 0; i < 3; i++) await bus.publish('metric.recorded', { name: 'x', value: i });
    clock.advance(2000);
    await bus.publish('metric.recorded', { name: 'x', value: 3 });
    let stream = (await bus.inspect()).streams.find((s) => s.name === 'metrics')!;
    expect(stream.length).toBe(4);
    expect(stream.groups.every((g) => g.laggingPastRetention)).toBe(true);
    for (const group of ['fast', 'slow'])
      bus.subscribe(group, { 'metric.recorded': async () => {} });
    await flush();
    await bus.publish('metric.recorded', { name: 'x', value: 4 });
    stream = (await bus.inspect()).streams.find((s) => s.name === 'metrics')!;
    expect(stream.length).toBe(2);
    expect(stream.groups.some((g) => g.laggingPastRetention)).toBe(false);
    await bus.close();
  });

  it('inspect() ages the oldest pending entry on the bus clock, from its publish', async () => {
    const { clock, bus } = setup();
    await bus.bootstrap();
    const [first] = await bus.publishBatch(jobs(2));
    clock.advance(1500);
    bus.subscribe('workers', { 'job.requested': () => new Promise<void>(() => {}) });
    await flush();
    clock.advance(500);
    const stream = (await bus.inspect()).streams.find((s) => s.name === 'jobs')!;
    expect(stream.entriesAdded).toBe(2);
    expect(stream.groups.find((g) => g.name === 'workers')).toMatchObject({
      oldestPendingId: first!.entryId,
      oldestPendingAgeMs: 2000,
    });
    await bus.close({ timeoutMs: 0 });
  });

  it('close waits on the bus clock and aborts the handler signal when it gives up', async () => {
    const { clock, bus } = setup();
    let signal: AbortSignal | undefined;
    const sub = bus.subscribe('workers', {
      'job.requested': (_e, ctx) => {
        signal = ctx.signal;
        return new Promise<void>(() => {});
      },
    });
    await bus.publishBatch(jobs(1));
    await flush();
    let closed = false;
    const closing = sub.close({ timeoutMs: 500 }).then(() => {
      closed = true;
    });
    clock.advance(499);
    await flush();
    expect(closed).toBe(false);
    expect(signal?.aborted).toBe(false);
    clock.advance(1);
    await closing;
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({ name: 'ClosedError' });
    await bus.close();
    await expect(bus.publish('job.requested', { jobId: 'x', key: 'k', seq: 1 })).rejects.toThrow(
      /closed InMemoryEventBus/,
    );
  });
});
