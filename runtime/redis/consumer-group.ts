/**
 * Creating consumer groups: `XGROUP CREATE ... MKSTREAM` from `$` or `0` per
 * the catalogue's `startFrom`, a group that exists (BUSYGROUP) left where it
 * is; and a consumer joining its group. Both commands name their key so a
 * Cluster sends them to the stream's master (routed-command.ts).
 */
import type { CatalogGroup } from '../catalog.js';
import type { RedisClient } from './redis-client.js';
import { sendRouted } from './routed-command.js';

/** Sends XGROUP CREATE now; resolves `created`, or `found` when the group exists. */
export function createGroup(
  client: RedisClient,
  key: string,
  group: CatalogGroup,
): Promise<'created' | 'found'> {
  const from = group.startFrom === 'earliest' ? '0' : '$';
  return sendRouted(client, key, 'xgroup', ['CREATE', key, group.name, from, 'MKSTREAM']).then(
    () => 'created',
    (error: unknown) => {
      if (error instanceof Error && /^BUSYGROUP/.test(error.message)) return 'found';
      throw error;
    },
  );
}

/**
 * Creates the group when missing and `consumer` in it (so XINFO CONSUMERS
 * lists it before Redis served it an entry). Both commands are sent before
 * this returns, ahead of anything the caller sends next.
 */
export function joinGroup(
  client: RedisClient,
  key: string,
  group: CatalogGroup,
  consumer: string,
): Promise<void> {
  const created = createGroup(client, key, group);
  const member = sendRouted(client, key, 'xgroup', [
    'CREATECONSUMER',
    key,
    group.name,
    consumer,
  ]).catch(() => undefined);
  return created.then(() => member.then(() => undefined));
}
