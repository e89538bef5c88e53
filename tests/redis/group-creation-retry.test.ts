/**
 * A consumer creates its group at start (XGROUP CREATE ... MKSTREAM). When
 * Redis refuses that command for a reason other than BUSYGROUP (OOM here;
 * LOADING, NOPERM or a command out of retries alike), the consumer must send
 * it again behind its backoff, not wait forever on the first refusal.
 */
import { describe, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import { type Job, jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

describe('consumer group creation', () => {
  it('a consumer whose XGROUP CREATE was refused (OOM) creates the group once Redis accepts writes, and consumes', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const admin = server().client();
    const bus = newBus(server(), catalog, { logger });
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1'); // every write is refused, XGROUP CREATE MKSTREAM too
    onCleanup(async () => {
      await admin.config('SET', 'maxmemory', '0');
    });
    const handled: number[] = [];
    bus.subscribe(
      'workers',
      { 'job.requested': async (event: Envelope<Job>) => void handled.push(event.data.seq) },
      { consumer: 'c', blockMs: 200 },
    );
    await waitFor(
      () => logger.records.some((r) => /OOM/.test(JSON.stringify(r.obj))),
      () => 'the group creation refused with OOM',
    );
    await admin.config('SET', 'maxmemory', '0'); // memory pressure over
    await bus.publishBatch(jobs(1));
    await waitFor(
      () => handled.length === 1,
      () =>
        `the event handled once Redis accepted writes again; warnings: ${JSON.stringify(logger.records.slice(-3))}`,
    );
  });
});
