--[[
  Idempotent publish: an event id is stored at most once per stream while
  its marker lives. The marker holds the entry id, so a repeated publish (a
  retry after "outcome unknown", or a command ioredis re-sent after a
  reconnect) returns the first entry instead of adding a second one. The
  realtime message, if any, goes out only with the first.

  Input:
    KEYS[1] stream
    KEYS[2] marker key (same hash tag as the stream)

    ARGV[1]    marker TTL in ms
    ARGV[2]    realtime channel ('' for none)
    ARGV[3]    realtime message
    ARGV[4..]  entry fields and values

  Output:
    { entry id, 1 when added now / 0 when it was already there }.
]]
local existing = redis.call('GET', KEYS[2])
if existing then return { existing, 0 } end
local checks = { { 'XADD', KEYS[1], '*', ARGV[4], ARGV[5] }, { 'SET', KEYS[2], '0', 'PX', ARGV[1] } }
if ARGV[2] ~= '' then checks[3] = { 'PUBLISH', ARGV[2], ARGV[3] } end
local denied = refused(checks)
if denied then return denied end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 4))
redis.call('SET', KEYS[2], id, 'PX', ARGV[1])
if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[2], ARGV[3]) end
return { id, 1 }
