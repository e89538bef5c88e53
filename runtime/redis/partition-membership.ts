/**
 * A group's live consumers on a partitioned stream: a sorted set
 * (`{ns:stream}:members:<group>`, keys.ts) of consumer tokens scored with
 * when their heartbeat expires on Redis's clock (partition-members.lua).
 * Every heartbeat drops the expired members and returns the live ones, from
 * which each consumer computes its share (partition-assignment.ts): a
 * consumer that joins is seen at the others' next heartbeat, one that closes
 * leaves at once, one that dies is dropped when its heartbeat expires.
 */
import type { RedisClient } from './redis-client.js';
import type { ScriptCommands } from './scripts/index.js';

/** One consumer's membership of one group on one partitioned stream. */
export class PartitionMembership {
  constructor(
    private readonly client: RedisClient & ScriptCommands,
    private readonly key: string,
    readonly token: string,
    /** A member not heard of this long is dropped. */
    private readonly ttlMs: number,
  ) {}

  /** Joins or stays; resolves the live members (this one included). */
  beat(): Promise<string[]> {
    return this.client.schemabusPartitionMembers(this.key, this.token, this.ttlMs, 'beat');
  }

  /** Leaves at once (close), so the others take its partitions at their next heartbeat. */
  async leave(): Promise<void> {
    await this.client.schemabusPartitionMembers(this.key, this.token, this.ttlMs, 'leave');
  }
}
