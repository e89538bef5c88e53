/**
 * Sharp edge "Least privilege": Redis checks a script's commands against the
 * ACL one by one, and a write that succeeded stays when a later command of
 * the same script is refused. A script that writes twice asks first
 * (redis.acl_check_cmd), so a refusal means nothing was written:
 * - a stream + realtime publish whose PUBLISH is refused stores nothing (the
 *   error says "nothing was written", and that is true: a retry adds no
 *   duplicate);
 * - a dead-lettering whose XACK is refused adds nothing to the DLQ (it used
 *   to add the entry again at every try).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConnectionError, NonRetryableError } from '../../runtime/index.js';
import { jobs } from '../contract/helpers.js';
import { captureLogger } from '../support/capture-logger.js';
import { newBus, onCleanup, testCatalog, useRedisServer } from '../support/redis-bus.js';
import { waitFor } from '../support/wait.js';

const server = useRedisServer();

/** An ACL user with every right but `denied` (ACL SETUSER rules); its URL. */
async function userWithout(...denied: string[]): Promise<string> {
  const admin = server().client();
  const name = `u-${randomUUID().slice(0, 8)}`;
  await admin.acl('SETUSER', name, 'reset', 'on', '>pw', '~*', '&*', '+@all', ...denied);
  onCleanup(async () => void (await admin.acl('DELUSER', name)));
  const { port } = new URL(server().url);
  return `redis://${name}:pw@127.0.0.1:${port}`;
}

describe('a script the ACL refuses part of writes nothing', () => {
  it('a stream + realtime publish whose PUBLISH is refused stores no entry', async () => {
    const catalog = testCatalog();
    const url = await userWithout('resetchannels', '&elsewhere:*');
    const bus = newBus(server(), catalog, { redis: url });
    const error = await bus
      .publish('order.cancelled', { orderId: randomUUID(), reason: 'changed mind' })
      .then(
        () => undefined,
        (e: unknown) => e as ConnectionError,
      );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error?.code).toBe('NOPERM');
    expect(error?.message).toMatch(/'publish' command.*nothing was written/);
    expect(await server().client().xlen(catalog.streams.orders!.key)).toBe(0);
  });

  it('a dead-lettering whose XACK is refused adds nothing to the DLQ, however often it is tried', async () => {
    const catalog = testCatalog();
    const logger = captureLogger();
    const url = await userWithout('-xack');
    const admin = server().client();
    // Bootstrap and publish as the admin; consume as the user that cannot XACK.
    await newBus(server(), catalog).publishBatch(jobs(1));
    const bus = newBus(server(), catalog, { redis: url, logger });
    let attempts = 0;
    bus.subscribe('workers', {
      'job.requested': async () => {
        attempts++;
        throw new NonRetryableError('poison');
      },
    });
    await waitFor(
      () => logger.records.filter((r) => /NOPERM/.test(JSON.stringify(r))).length >= 2,
      () =>
        `two logged NOPERM refusals (two tries); logs: ${JSON.stringify(logger.records.slice(-3))}`,
    );
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(await admin.xlen(catalog.streams.jobs!.dlqKey)).toBe(0);
    const [pending] = (await admin.xpending(catalog.streams.jobs!.key, 'workers')) as [number];
    expect(pending).toBe(1);
  });
});
