/**
 * The text of each Lua script of the Redis bus, read once, when this module
 * loads, from the `.lua` file next to it: runtime/redis/scripts/ in the
 * source tree, dist/runtime/redis/scripts/ in the package (the build copies
 * the files there: tools/copy-lua-files.mjs). Each file opens with its KEYS,
 * ARGV and reply; what each script promises is on `ScriptCommands`
 * (index.ts).
 *
 * Every path is a literal `new URL('./x.lua', import.meta.url)`, so that a
 * bundler can tell which files this module needs.
 */
import { readFileSync } from 'node:fs';

function readLua(url: URL): string {
  return readFileSync(url, 'utf8');
}

/**
 * `dead_letter(...)`, which the claim, dead-letter and fail scripts call. A
 * script sent with EVAL cannot load another, so this text is put before
 * each of them (the line numbers of their Redis errors count from its first
 * line).
 */
/**
 * `refused(commands)`: the ACL check a script that writes more than once
 * makes before its first write; put before each of them, and before
 * `dead_letter` (which calls it).
 */
const REFUSED_FUNCTION = readLua(new URL('./includes/refused-function.lua', import.meta.url));

const DEAD_LETTER_FUNCTION =
  REFUSED_FUNCTION + readLua(new URL('./includes/dead-letter-function.lua', import.meta.url));

/**
 * The batched append (`schemabusAppendBatch`): the XADDs of one tick to one
 * stream in one script call, each under pcall, so a refused entry fails
 * alone and the others are stored; replies an id or `ERR <message>` per
 * entry. Not registered with defineCommand: append-batcher.ts sends it
 * through raw-script-call.ts with its arguments already written as RESP.
 */
export const APPEND_BATCH_LUA = readLua(new URL('./append-batch.lua', import.meta.url));
/** The `schemabusClaim` script (see `ScriptCommands`). */
export const CLAIM_LUA = DEAD_LETTER_FUNCTION + readLua(new URL('./claim.lua', import.meta.url));
/** The `schemabusDeadLetter` script (see `ScriptCommands`). */
export const DEAD_LETTER_LUA =
  DEAD_LETTER_FUNCTION + readLua(new URL('./dead-letter.lua', import.meta.url));
/** The `schemabusFail` script (see `ScriptCommands`). */
export const FAIL_LUA = DEAD_LETTER_FUNCTION + readLua(new URL('./fail.lua', import.meta.url));
/** The `schemabusPartitionLease` script (see `ScriptCommands`). */
export const PARTITION_LEASE_LUA = readLua(new URL('./partition-lease.lua', import.meta.url));
/** The `schemabusPartitionMembers` script (see `ScriptCommands`). */
export const PARTITION_MEMBERS_LUA = readLua(new URL('./partition-members.lua', import.meta.url));
/** The `schemabusPartitionTakeover` script (see `ScriptCommands`). */
export const PARTITION_TAKEOVER_LUA = readLua(new URL('./partition-takeover.lua', import.meta.url));
/** The `schemabusPublishOnce` script (see `ScriptCommands`). */
export const PUBLISH_ONCE_LUA =
  REFUSED_FUNCTION + readLua(new URL('./publish-once.lua', import.meta.url));
/** The `schemabusPublishRealtime` script (see `ScriptCommands`). */
export const PUBLISH_REALTIME_LUA =
  REFUSED_FUNCTION + readLua(new URL('./publish-realtime.lua', import.meta.url));
/** The `schemabusReclaimOwn` script (see `ScriptCommands`). */
export const RECLAIM_OWN_LUA = readLua(new URL('./reclaim-own.lua', import.meta.url));
/** The `schemabusReleaseConsumer` script (see `ScriptCommands`). */
export const RELEASE_CONSUMER_LUA = readLua(new URL('./release-consumer.lua', import.meta.url));
/** The `schemabusReplay` script (see `ScriptCommands`). */
export const REPLAY_LUA = REFUSED_FUNCTION + readLua(new URL('./replay.lua', import.meta.url));
/** The `schemabusSweepConsumers` script (see `ScriptCommands`). */
export const SWEEP_CONSUMERS_LUA = readLua(new URL('./sweep-consumers.lua', import.meta.url));
/** The `schemabusTouch` script (see `ScriptCommands`). */
export const TOUCH_LUA = readLua(new URL('./touch.lua', import.meta.url));
/** The `schemabusTrim` script (see `ScriptCommands`). */
export const TRIM_LUA = readLua(new URL('./trim.lua', import.meta.url));
