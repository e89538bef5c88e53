/**
 * The Lua scripts of the Redis bus, registered on a client with ioredis
 * `defineCommand` (EVALSHA, falling back to EVAL on NOSCRIPT, also after a
 * server restart flushed the script cache). Every key a script touches is
 * passed in KEYS and shares the stream's hash tag. The scripts are the
 * `.lua` files of this folder (read by lua.ts), each opening with its KEYS,
 * ARGV and reply.
 */
import type { RedisClient } from '../redis-client.js';
import {
  CLAIM_LUA,
  DEAD_LETTER_LUA,
  FAIL_LUA,
  PARTITION_LEASE_LUA,
  PARTITION_MEMBERS_LUA,
  PARTITION_TAKEOVER_LUA,
  PUBLISH_ONCE_LUA,
  PUBLISH_REALTIME_LUA,
  RECLAIM_OWN_LUA,
  RELEASE_CONSUMER_LUA,
  REPLAY_LUA,
  SWEEP_CONSUMERS_LUA,
  TOUCH_LUA,
  TRIM_LUA,
} from './lua.js';

type Arg = string | number;

/** A claimed entry: id, flat fields, delivery count after the claim. */
/** Why a held entry is not this consumer's any more (touch.lua). */
export type GoneReason = 'taken' | 'done' | 'deleted';

/** A claimed entry; claim.lua adds the previous owner when it took the entry from a consumer presumed dead. */
export type ClaimedEntry = [
  id: string,
  fields: string[],
  deliveries: number,
  presumedDead?: string | null,
];

/** The typed script commands (each script's `.lua` file gives its KEYS, ARGV and reply). */
export interface ScriptCommands {
  /**
   * Moves a pending entry to the DLQ (or only acks it, when not storing) if
   * the calling consumer still owns it: XADD to the DLQ before XACK, so a
   * failure can leave the entry pending, never acked and lost. Replies 1
   * moved, 0 not pending any more, 2 owned by another consumer (nothing
   * done), -1 deleted while pending (acked). dead-letter.lua.
   */
  schemabusDeadLetter(
    stream: string,
    dlq: string,
    failures: string,
    ...args: Arg[]
  ): Promise<number>;
  /**
   * Records a retryable failure of the caller's delivery (failure hash, JSON
   * with the delivery count and the retry delay) and resets the entry's idle
   * time, or dead-letters it once its deliveries reach maxAttempts. Replies
   * the outcome (1 retry recorded, 2 dead-lettered, 3 deleted while pending,
   * 0 not the caller's any more) and the delivery count. fail.lua.
   */
  schemabusFail(
    stream: string,
    dlq: string,
    failures: string,
    ...args: Arg[]
  ): Promise<[outcome: number, deliveries: number]>;
  /**
   * The claim scan, atomic: over the PEL's idle entries, claims to the caller
   * those whose retry delay (or claimIdleMs, owner presumed dead) has passed,
   * dead-letters those whose deliveries reached maxAttempts, and reports the
   * ones deleted while pending as lost. Reads at most about maxScan PEL
   * entries and claims at most maxClaims. claim.lua.
   */
  schemabusClaim(
    stream: string,
    dlq: string,
    failures: string,
    ...args: Arg[]
  ): Promise<
    [
      claimed: ClaimedEntry[],
      deadLettered: [id: string, deliveries: number, owner: string][],
      lost: string[],
      /** A dead-lettering the ACL refused (nothing written, the entry stays pending). */
      refusal: string | null,
    ]
  >;
  /**
   * Heartbeat: resets the idle time (not the delivery count) of the given
   * entries this consumer still owns, so no claimer takes them; replies the
   * ids that are not pending for it any more, each with why. touch.lua.
   */
  schemabusTouch(stream: string, ...args: Arg[]): Promise<[id: string, why: GoneReason][]>;
  /**
   * Deletes the consumer from its group only when it holds no pending entry
   * (XGROUP DELCONSUMER would drop them). Replies 1 deleted, 0 kept.
   * release-consumer.lua.
   */
  schemabusReleaseConsumer(stream: string, group: string, consumer: string): Promise<number>;
  /**
   * Retention that never removes an entry a group has not acked, except past
   * the hard cap (reported as forcedRemoved), with bounded work per run (an
   * XRANGE reads at most chunk + 1 entries, so a large excess is trimmed over
   * several runs). A dry run only computes. Replies what was removed, the
   * cutoff, the lowest group floor, each group's floor and the length
   * before. trim.lua.
   */
  schemabusTrim(
    stream: string,
    ...args: Arg[]
  ): Promise<
    [
      removed: number,
      forcedRemoved: number,
      cutoff: string,
      floor: string,
      floors: string[],
      length: number,
    ]
  >;
  /**
   * Idempotent publish: XADD (and the realtime PUBLISH, if any) only when the
   * event's marker key is absent, then sets the marker to the entry id for
   * the TTL; a repeat replies the first entry id with added 0.
   * publish-once.lua.
   */
  schemabusPublishOnce(
    stream: string,
    marker: string,
    ...args: Arg[]
  ): Promise<[entryId: string, added: number]>;
  /**
   * DLQ replay: appends the fields to the stream and deletes the DLQ entry,
   * only while that entry exists, so a repeated replay adds nothing. Replies
   * the new entry id, or null when the DLQ entry is gone. replay.lua.
   */
  schemabusReplay(stream: string, dlq: string, ...args: Arg[]): Promise<string | null>;
  /**
   * XADD, then PUBLISH of the same envelope: a refused XADD stops the script,
   * so a failed publish never reached a realtime subscriber. Replies the
   * entry id. publish-realtime.lua.
   */
  schemabusPublishRealtime(stream: string, ...args: Arg[]): Promise<string>;
  /**
   * Re-reads the caller's own pending entries it does not hold, per id only
   * while it still owns them and no retry is waiting for their backoff:
   * mode 'same' keeps the delivery count (a lost reply), 'next' adds one (a
   * previous process with the same name). Deleted entries are acked and
   * reported lost. reclaim-own.lua.
   */
  schemabusReclaimOwn(
    stream: string,
    failures: string,
    ...args: Arg[]
  ): Promise<[claimed: ClaimedEntry[], lost: string[]]>;
  /**
   * Removes the consumers of a group that hold nothing and were idle past a
   * bound (never the caller, never one holding entries); replies their
   * names. sweep-consumers.lua.
   */
  schemabusSweepConsumers(stream: string, ...args: Arg[]): Promise<string[]>;
  /**
   * The lease of a partition for a group: 'acquire' (free or already the
   * caller's), 'renew' and 'release' (only the holder's). Replies 1 held
   * (or released), 0 not the caller's. partition-lease.lua.
   */
  schemabusPartitionLease(lease: string, ...args: Arg[]): Promise<number>;
  /**
   * A group's membership on a partitioned stream: 'beat' (join or stay,
   * expiring after the given ms on Redis's clock) or 'leave'; expired
   * members are dropped. Replies the live members. partition-members.lua.
   */
  schemabusPartitionMembers(members: string, ...args: Arg[]): Promise<string[]>;
  /**
   * One page of a partition takeover, only while the caller holds the lease:
   * claims the group's pending entries in id order (delivery count + 1),
   * each with how long a retry still waits for its backoff. Replies
   * `[-1]` without the lease. partition-takeover.lua.
   */
  schemabusPartitionTakeover(
    stream: string,
    failures: string,
    lease: string,
    ...args: Arg[]
  ): Promise<
    | [
        claimed: [id: string, fields: string[], deliveries: number, waitMs: number][],
        lost: string[],
        last: string,
      ]
    | [-1]
  >;
}

const SCRIPTS: ReadonlyArray<[name: keyof ScriptCommands, keys: number, lua: string]> = [
  ['schemabusDeadLetter', 3, DEAD_LETTER_LUA],
  ['schemabusFail', 3, FAIL_LUA],
  ['schemabusClaim', 3, CLAIM_LUA],
  ['schemabusTouch', 1, TOUCH_LUA],
  ['schemabusReleaseConsumer', 1, RELEASE_CONSUMER_LUA],
  ['schemabusTrim', 1, TRIM_LUA],
  ['schemabusPublishOnce', 2, PUBLISH_ONCE_LUA],
  ['schemabusReplay', 2, REPLAY_LUA],
  ['schemabusPublishRealtime', 1, PUBLISH_REALTIME_LUA],
  ['schemabusReclaimOwn', 2, RECLAIM_OWN_LUA],
  ['schemabusSweepConsumers', 1, SWEEP_CONSUMERS_LUA],
  ['schemabusPartitionLease', 1, PARTITION_LEASE_LUA],
  ['schemabusPartitionMembers', 1, PARTITION_MEMBERS_LUA],
  ['schemabusPartitionTakeover', 3, PARTITION_TAKEOVER_LUA],
];

const defined = new WeakSet<RedisClient>();

/** Registers the scripts on `client` (once) and returns it typed with them. */
export function withScripts<C extends RedisClient>(client: C): C & ScriptCommands {
  if (!defined.has(client)) {
    for (const [name, numberOfKeys, lua] of SCRIPTS)
      client.defineCommand(name, { numberOfKeys, lua });
    defined.add(client);
  }
  return client as C & ScriptCommands;
}
