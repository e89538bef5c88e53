/**
 * Partition leases: a key per (partition, group) in the partition's own hash
 * tag (`{ns:stream:p3}:lease:<group>`, keys.ts) holding the token of the
 * consumer that reads the partition, with an expiry. Taken with SET NX PX,
 * renewed and released by partition-lease.lua only while the token is the
 * caller's, so a consumer that paused past its lease cannot extend or
 * delete a lease another consumer took since. One slot per call: it works
 * the same on a Cluster and on one server.
 */
import type { RedisClient } from './redis-client.js';
import type { ScriptCommands } from './scripts/index.js';

/** Default lease length: a dead consumer's partitions come free this long after its last renewal. @default 10000 */
export const DEFAULT_PARTITION_LEASE_MS = 10_000;

/** The leases of one consumer (`token`), all of one length. */
export class PartitionLease {
  constructor(
    private readonly client: RedisClient & ScriptCommands,
    readonly token: string,
    readonly ms: number,
  ) {}

  /** Takes `key` when free (or renews it when already ours); resolves whether we hold it. */
  async acquire(key: string): Promise<boolean> {
    return (await this.client.schemabusPartitionLease(key, this.token, 'acquire', this.ms)) === 1;
  }

  /** Extends `key` while we hold it; resolves false when it is not ours any more (expired, taken). */
  async renew(key: string): Promise<boolean> {
    return (await this.client.schemabusPartitionLease(key, this.token, 'renew', this.ms)) === 1;
  }

  /** Gives `key` up when we hold it (another consumer may take it at once). */
  async release(key: string): Promise<void> {
    await this.client.schemabusPartitionLease(key, this.token, 'release', this.ms);
  }
}
