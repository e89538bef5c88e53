/**
 * The Lua scripts of the Redis bus, registered on a client with ioredis
 * `defineCommand` (EVALSHA, falling back to EVAL on NOSCRIPT, also after a
 * server restart flushed the script cache). Every key a script touches is
 * passed in KEYS and shares the stream's hash tag.
 */
import type { Redis } from 'ioredis';
import { CLAIM_LUA } from './claim.js';
import { DEAD_LETTER_LUA } from './dead-letter.js';
import { FAIL_LUA } from './fail.js';
import { PUBLISH_ONCE_LUA, PUBLISH_REALTIME_LUA, REPLAY_LUA } from './publish.js';
import { RECLAIM_OWN_LUA } from './reclaim.js';
import { TRIM_LUA } from './retention.js';
import { RELEASE_CONSUMER_LUA, TOUCH_LUA } from './touch.js';

type Arg = string | number;

/** A claimed entry: id, flat fields, delivery count after the claim. */
export type ClaimedEntry = [id: string, fields: string[], deliveries: number];

/** The typed script commands (see each script's header for KEYS, ARGV and reply). */
export interface ScriptCommands {
  schemabusDeadLetter(
    stream: string,
    dlq: string,
    failures: string,
    ...args: Arg[]
  ): Promise<number>;
  schemabusFail(
    stream: string,
    dlq: string,
    failures: string,
    ...args: Arg[]
  ): Promise<[outcome: number, deliveries: number]>;
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
    ]
  >;
  schemabusTouch(stream: string, ...args: Arg[]): Promise<string[]>;
  schemabusReleaseConsumer(stream: string, group: string, consumer: string): Promise<number>;
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
  schemabusPublishOnce(
    stream: string,
    marker: string,
    ...args: Arg[]
  ): Promise<[entryId: string, added: number]>;
  schemabusReplay(stream: string, dlq: string, ...args: Arg[]): Promise<string | null>;
  schemabusPublishRealtime(stream: string, ...args: Arg[]): Promise<string>;
  schemabusReclaimOwn(
    stream: string,
    failures: string,
    ...args: Arg[]
  ): Promise<[claimed: ClaimedEntry[], lost: string[]]>;
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
];

const defined = new WeakSet<Redis>();

/** Registers the scripts on `client` (once) and returns it typed with them. */
export function withScripts(client: Redis): Redis & ScriptCommands {
  if (!defined.has(client)) {
    for (const [name, numberOfKeys, lua] of SCRIPTS)
      client.defineCommand(name, { numberOfKeys, lua });
    defined.add(client);
  }
  return client as Redis & ScriptCommands;
}
