import { describe, expect, it } from 'vitest';
import { InMemoryEventBus } from '../../runtime/index.js';
import { PACE_BACKLOG } from '../../runtime/memory/publish-pacer.js';
import { createTestCatalog } from '../contract/catalog.js';
import { waitFor } from '../support/wait.js';

const job = (seq: number) => ({ jobId: `j${seq}`, key: 'k', seq });

describe('InMemoryEventBus publish pacing', () => {
  it('keeps the undelivered backlog bounded when many publishes are in flight', async () => {
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m') });
    const total = 4 * PACE_BACKLOG;
    const inFlight = 1000;
    let handled = 0;
    let published = 0;
    let maxBacklog = 0;
    const sub = bus.subscribe(
      'workers',
      {
        'job.requested': async () => {
          handled++;
        },
      },
      { concurrency: 10 },
    );
    const send = async (): Promise<void> => {
      while (published < total) {
        published++;
        maxBacklog = Math.max(maxBacklog, published - handled);
        await bus.publish('job.requested', job(published));
      }
    };
    await Promise.all(Array.from({ length: inFlight }, send));
    await waitFor(
      () => handled === total,
      () => `${handled} of ${total} handled`,
    );
    // Without pacing the producer runs 100 publishes ahead per handled event here (1000 in flight, 10 handler slots).
    expect(maxBacklog).toBeLessThanOrEqual(PACE_BACKLOG + 2 * inFlight);
    await sub.close();
    await bus.close();
  });

  it('never blocks a publish: a handler awaiting its own publishes behind a large backlog completes', async () => {
    const bus = new InMemoryEventBus({ catalog: createTestCatalog('m') });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let followUps = 0;
    const sub = bus.subscribe(
      'workers',
      {
        'job.requested': async (event) => {
          await gate;
          if ((event.data as { jobId: string }).jobId === 'follow-up') return;
          // A follow-up published while the stream is far behind: paced, never stuck.
          await bus.publish('job.requested', { jobId: 'follow-up', key: 'k', seq: 0 });
          followUps++;
        },
      },
      { concurrency: 1, batchSize: 1 },
    );
    // The first is taken by the only slot; the rest wait undelivered.
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < PACE_BACKLOG + 10; i++) all.push(bus.publish('job.requested', job(i)));
    await Promise.all(all);
    release();
    await waitFor(
      () => followUps >= 3,
      () => `${followUps} follow-ups published`,
    );
    await sub.close({ timeoutMs: 0 });
    await bus.close({ timeoutMs: 0 });
  });
});
