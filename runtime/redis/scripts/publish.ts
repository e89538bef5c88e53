/** Publishing and replaying in one script each. */

/**
 * A stream event that is also realtime: XADD, then PUBLISH of the same
 * envelope, in one script — when Redis refuses the XADD (OOM, ACL, wrong
 * type) the script stops there and nothing goes out on the channel, so a
 * publish reported as failed never reached a realtime subscriber. XADD takes
 * the same arguments as the plain publish path (`*`, no trimming: retention
 * runs separately, see retention.ts).
 *
 * KEYS[1] stream
 * ARGV[1] realtime channel, ARGV[2] realtime message, ARGV[3..] entry fields and values
 * Returns the entry id.
 */
export const PUBLISH_REALTIME_LUA = `
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
redis.call('PUBLISH', ARGV[1], ARGV[2])
return id
`;

/**
 * Idempotent publish: an event id is stored at most once per stream while
 * its marker lives. The marker holds the entry id, so a repeated publish
 * (a retry after "outcome unknown", or a command ioredis re-sent after a
 * reconnect) returns the first entry instead of adding a second one.
 *
 * KEYS[1] stream, KEYS[2] marker key
 * ARGV[1] marker TTL in ms, ARGV[2] realtime channel ('' for none), ARGV[3] realtime message,
 * ARGV[4..] entry fields and values
 * Returns { entry id, 1 when added now / 0 when it was already there }.
 */
export const PUBLISH_ONCE_LUA = `
local existing = redis.call('GET', KEYS[2])
if existing then return { existing, 0 } end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 4))
redis.call('SET', KEYS[2], id, 'PX', ARGV[1])
if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return { id, 1 }
`;

/**
 * DLQ replay: appends the fields (the original entry plus `replayfor=<group>`)
 * to the main stream and deletes the DLQ entry, only if it is still there —
 * so a replay repeated (or re-sent after a reconnect) adds nothing twice.
 *
 * KEYS[1] stream, KEYS[2] dlq stream
 * ARGV[1] DLQ entry id, ARGV[2..] fields and values to append
 * Returns the new entry id, or false when the DLQ entry does not exist.
 */
export const REPLAY_LUA = `
if #redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1]) == 0 then return false end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
redis.call('XDEL', KEYS[2], ARGV[1])
return id
`;
