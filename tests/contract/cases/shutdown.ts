/** close() lets in-flight handlers finish and acks them, never acks unfinished work; abandoned entries are taken over. */
import { expect, it } from 'vitest';
import type { Envelope } from '../../../runtime/bus.js';
import { collect, deferred, waitFor } from '../../support/wait.js';
import { groupDrained, inspectGroup, type Job, jobs } from '../helpers.js';
import type { ContractContext } from '../suite.js';

export function shutdownCases({ h }: ContractContext): void {
  it('close() acks handlers that finish in time and leaves the unfinished pending for another consumer', async () => {
    const { bus, catalog } = h();
    const claimIdleMs = catalog.streams.jobs!.groups.workers!.claimIdleMs;
    const fast = deferred();
    const slow = deferred();
    const started: Array<{ seq: number; signal: AbortSignal }> = [];
    const finishedOnA: number[] = [];
    const a = bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>, ctx) => {
          started.push({ seq: event.data.seq, signal: ctx.signal });
          await (event.data.seq === 0 ? fast.promise : slow.promise);
          finishedOnA.push(event.data.seq);
        },
      },
      { consumer: 'a', concurrency: 2 },
    );
    await bus.publishBatch(jobs(2));
    await collect(started, 2);
    const closing = a.close({ timeoutMs: 150 });
    fast.resolve();
    await closing;
    const closedAt = Date.now();
    expect(finishedOnA).toEqual([0]);
    const afterClose = await inspectGroup(bus, 'jobs', 'workers');
    expect(afterClose.pending).toBe(1);
    expect(afterClose.consumers.find((c) => c.name === 'a')?.pending).toBe(1);
    expect(started.find((s) => s.seq === 1)?.signal.aborted).toBe(true);
    // The abandoned handler finishing late must not ack it.
    slow.resolve();
    const onB: Array<{ seq: number; attempt: number; at: number }> = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>, ctx) =>
          void onB.push({ seq: event.data.seq, attempt: ctx.attempt, at: Date.now() }),
      },
      { consumer: 'b' },
    );
    const [taken] = await collect(onB, 1);
    expect(taken).toMatchObject({ seq: 1, attempt: 2 });
    expect(taken!.at - closedAt).toBeGreaterThanOrEqual(claimIdleMs - 150 - 5);
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    expect(onB.map((x) => x.seq)).toEqual([1]);
  });

  it('close() starts none of the fetched entries that wait, even when a running handler finishes during the close', async () => {
    const { bus } = h();
    const first = deferred();
    const started: number[] = [];
    const sub = bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>) => {
          started.push(event.data.seq);
          if (event.data.seq === 0) await first.promise;
        },
      },
      { consumer: 'a', concurrency: 1, batchSize: 5 },
    );
    await bus.publishBatch(jobs(3));
    await collect(started, 1);
    await waitFor(async () => (await inspectGroup(bus, 'jobs', 'workers')).pending === 3);
    const closing = sub.close({ timeoutMs: 5000 });
    first.resolve();
    await closing;
    expect(started).toEqual([0]);
    const after = await inspectGroup(bus, 'jobs', 'workers');
    expect(after.pending).toBe(2);
  });

  it('crash recovery: entries a dead consumer held are handled by a live one after claimIdleMs', async () => {
    const { bus, catalog } = h();
    const claimIdleMs = catalog.streams.jobs!.groups.workers!.claimIdleMs;
    const stuck: number[] = [];
    const dead = bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>) => {
          stuck.push(event.data.seq);
          await new Promise(() => {}); // never settles, like a process that hung or died
        },
      },
      { consumer: 'dead', concurrency: 1, batchSize: 5 },
    );
    const publishedAt = Date.now();
    await bus.publishBatch(jobs(3));
    await collect(stuck, 1);
    await dead.close({ timeoutMs: 0 });
    const held = await inspectGroup(bus, 'jobs', 'workers');
    expect(held.pending).toBeGreaterThanOrEqual(1);
    const survivor: Array<{ seq: number; attempt: number; at: number }> = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>, ctx) =>
          void survivor.push({ seq: event.data.seq, attempt: ctx.attempt, at: Date.now() }),
      },
      { consumer: 'survivor' },
    );
    await collect(survivor, 3);
    await waitFor(() => groupDrained(bus, 'jobs', 'workers'));
    expect(survivor.map((s) => s.seq).sort()).toEqual([0, 1, 2]);
    const first = survivor.find((s) => s.seq === 0)!;
    expect(first.attempt).toBe(2);
    expect(first.at - publishedAt).toBeGreaterThanOrEqual(claimIdleMs - 5);
    expect(stuck).toEqual([0]);
  });

  it('an event whose consumer dies on every delivery ends in the DLQ after maxAttempts deliveries', async () => {
    const { bus, catalog } = h();
    const maxAttempts = catalog.streams.jobs!.groups.workers!.retry.maxAttempts;
    await bus.publishBatch(jobs(1));
    const attempts: number[] = [];
    // Each consumer "dies" holding the event: its handler never settles and it is closed without waiting.
    for (let i = 0; i < maxAttempts; i++) {
      const seen = attempts.length;
      const sub = bus.subscribe(
        'workers',
        {
          'job.requested': async (_event, ctx) => {
            attempts.push(ctx.attempt);
            await new Promise(() => {});
          },
        },
        { consumer: `doomed-${i}` },
      );
      await collect(attempts, seen + 1);
      await sub.close({ timeoutMs: 0 });
    }
    expect(attempts).toEqual([...Array(maxAttempts).keys()].map((i) => i + 1));
    // A healthy consumer finds it abandoned with maxAttempts deliveries: it goes to the DLQ unhandled.
    const healthy: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (_event, ctx) => void healthy.push(ctx.attempt) },
      { consumer: 'healthy' },
    );
    await waitFor(
      async () => (await bus.dlq('jobs').count()) === 1,
      () => 'the event in the DLQ',
    );
    const [letter] = await bus.dlq('jobs').list();
    expect(letter).toMatchObject({ group: 'workers', reason: 'exhausted', attempts: maxAttempts });
    expect(healthy).toEqual([]);
    expect(bus.stats().deadLettered).toBe(1);
  });
}

export function subscriptionStateCases({ h }: ContractContext): void {
  it('a subscription shows its state: running while it reads, closing, then closed; error listeners can be removed', async () => {
    const { bus } = h();
    const slow = deferred();
    const started: number[] = [];
    const sub = bus.subscribe('workers', {
      'job.requested': async (event: Envelope<Job>) => {
        started.push(event.data.seq);
        await slow.promise;
      },
    });
    const heard: Error[] = [];
    const off = sub.onError((error) => heard.push(error));
    expect(typeof off).toBe('function');
    off();
    await bus.publishBatch(jobs(1));
    await collect(started, 1);
    expect(sub.state).toBe('running');
    expect(sub.lastError).toBeUndefined();
    const closing = sub.close({ timeoutMs: 5000 });
    expect(sub.state).toBe('closing');
    slow.resolve();
    await closing;
    expect(sub.state).toBe('closed');
    expect(heard).toEqual([]);
  });
}
