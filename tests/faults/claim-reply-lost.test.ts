/**
 * A claim scan whose reply is lost: the script ran and claimed entries for
 * this consumer, the connection dropped before the reply arrived, and ioredis
 * re-sent the script after the reconnect — the second run claims nothing
 * (the entries are not idle any more). The consumer re-reads its own pending
 * list on the command connection's `ready`, so what the first run claimed is
 * handled at once (with the delivery count the claim gave it), not left
 * owned, unhandled and unheartbeated until claimIdleMs.
 */
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../runtime/bus.js';
import type { Job } from '../contract/helpers.js';
import { withGroups } from '../support/catalog-overrides.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { collect, waitFor } from '../support/wait.js';

const server = useRedisServer();

type PendingRow = [id: string, consumer: string, idle: number, deliveries: number];

describe('a claim scan whose reply was lost', () => {
  it('the entries its first run claimed are handled after the reconnect', async () => {
    const proxy = await TcpProxy.start(server().port);
    onCleanup(() => proxy.close());
    // claimIdleMs far away: only the re-read after `ready` can bring the entry back in time.
    const catalog = testCatalog((c) => withGroups(c, 'jobs', { claimIdleMs: 60_000 }));
    const bus = newBus(server(), catalog, { redis: proxy.url, claimIntervalMs: 50 });
    const admin = server().client();
    const key = catalog.streams.jobs!.key;
    await bus.bootstrap();
    const attempts: Array<{ seq: number; attempt: number }> = [];
    bus.subscribe(
      'workers',
      {
        'job.requested': async (event: Envelope<Job>, ctx) =>
          void attempts.push({ seq: event.data.seq, attempt: ctx.attempt }),
      },
      { consumer: 'live', blockMs: 10_000 },
    );
    // The reader blocks in XREADGROUP; the command connection goes deaf (requests still run).
    await waitFor(async () => ((await admin.client('LIST')) as string).includes('cmd=xreadgroup'));
    const [command] = await waitFor(() => {
      const found = proxy.named(/^schemabus$/);
      return found.length === 1 ? found : undefined;
    });
    // No scan may claim nothing and lose its reply (the claimer would wait for it until the
    // reconnect): requests wait in the proxy while the entry is made claimable, and replies are
    // dropped from then on (a scan sent before the hold has been answered by then).
    command!.holdRequests();
    // An entry held by a consumer that died two minutes ago. XADD and the ghost's read in one
    // transaction, so the blocked reader of `live` is not served it first.
    const replies = await admin
      .multi()
      .xadd(key, '*', ...jobFields(7))
      .xreadgroup('GROUP', 'workers', 'ghost', 'COUNT', 1, 'STREAMS', key, '>')
      .exec();
    const entryId = replies![0]![1] as string;
    await admin.xclaim(key, 'workers', 'ghost', 0, entryId, 'IDLE', 120_000, 'JUSTID');
    command!.dropReplies();
    command!.releaseRequests();
    // The claim scan runs and claims it for `live`; its reply is lost.
    await waitFor(async () => {
      const [row] = (await admin.xpending(key, 'workers', '-', '+', 1)) as PendingRow[];
      return row?.[1] === 'live';
    });
    command!.destroy(); // reconnect: ioredis re-sends the scan, which claims nothing now
    await collect(attempts, 1);
    expect(attempts).toEqual([{ seq: 7, attempt: 2 }]);
    await waitFor(async () => (await admin.xpending(key, 'workers'))[0] === 0);
  });
});

/** The stream fields of a valid `job.requested` entry. */
function jobFields(seq: number): string[] {
  const data = JSON.stringify({ jobId: `job-${seq}`, key: 'k', seq });
  return [
    'specversion',
    '1.0',
    'id',
    `evt-${seq}`,
    'source',
    'tests',
    'type',
    'job.requested',
    'time',
    new Date().toISOString(),
    'datacontenttype',
    'application/json',
    'data',
    data,
  ];
}
