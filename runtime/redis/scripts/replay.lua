--[[
  DLQ replay: appends the fields (the original entry plus
  `replayfor=<group>`) to the main stream and deletes the DLQ entry, only
  if it is still there, so a replay repeated (or re-sent after a reconnect)
  adds nothing twice.

  Input:
    KEYS[1] stream
    KEYS[2] dlq stream

    ARGV[1]    DLQ entry id
    ARGV[2..]  fields and values to append

  Output:
    the new entry id, or false (a nil reply) when the DLQ entry does not
    exist.
]]
if #redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1]) == 0 then return false end
local denied = refused({ { 'XADD', KEYS[1], '*', ARGV[2], ARGV[3] }, { 'XDEL', KEYS[2], ARGV[1] } })
if denied then return denied end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
redis.call('XDEL', KEYS[2], ARGV[1])
return id
