/**
 * Dead-lettering from a consumer is conditional on ownership: once another
 * consumer took an entry over (this one looked dead), a late failure here
 * (NonRetryableError) must neither move it to the DLQ nor ack it — the new
 * owner is handling it.
 */
import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../runtime/errors.js';
import { jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { withGroups } from '../support/catalog-overrides.js';
import { newBus, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { deferred, waitFor } from '../support/wait.js';

const server = useRedisServer();

type PendingRow = [id: string, consumer: string, idle: number, deliveries: number];

describe('dead-lettering an entry another consumer took over', () => {
  it('a NonRetryableError in the old owner leaves the entry pending for the new owner (no DLQ, no ack)', async () => {
    // claimIdleMs far away: no heartbeat or claim scan interferes while the test runs.
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 60_000 }));
    const logger = captureLogger();
    const bus = newBus(server(), catalog, { logger });
    const admin = server().client();
    const { key, dlqKey } = catalog.streams.jobs!;
    await bus.bootstrap();
    const gate = deferred();
    let calls = 0;
    bus.subscribe(
      'workers',
      {
        'job.requested': async () => {
          calls++;
          await gate.promise;
          throw new NonRetryableError('bad input (seen by the old owner)');
        },
      },
      { consumer: 'c1' },
    );
    const [published] = await bus.publishBatch(jobs(1));
    await waitFor(() => calls === 1);
    // c2 takes the entry over (as a claimer does when c1 looks dead) and is handling it now.
    await admin.xclaim(key, 'workers', 'c2', 0, published!.entryId!);
    gate.resolve();
    await waitFor(
      async () =>
        logger.matching(/another consumer took the entry over/).length > 0 ||
        (await admin.xlen(dlqKey)) > 0,
      () => 'c1 finished its failure',
    );
    expect(await admin.xlen(dlqKey)).toBe(0);
    const pel = (await admin.xpending(key, 'workers', '-', '+', 10)) as PendingRow[];
    expect(pel.map(([id, owner, , deliveries]) => [id, owner, deliveries])).toEqual([
      [published!.entryId, 'c2', 2],
    ]);
    expect(calls).toBe(1);
    expect(bus.stats().deadLettered).toBe(0);
  });
});
