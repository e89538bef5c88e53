--[[
  A stream event that is also realtime: XADD, then PUBLISH of the same
  envelope, in one script. When Redis refuses the XADD (OOM, ACL, wrong
  type) the script stops there and nothing goes out on the channel, so a
  publish reported as failed never reached a realtime subscriber; when the
  ACL refuses either command, nothing is written at all (refused(), from
  includes/refused-function.lua, which lua.ts puts before this text).

  XADD takes the same arguments as the plain publish path (`*`, no
  trimming: retention runs separately, see trim.lua).

  Input:
    KEYS[1] stream

    ARGV[1]    realtime channel
    ARGV[2]    realtime message
    ARGV[3..]  entry fields and values

  Output:
    the entry id.
]]
local denied = refused({ { 'XADD', KEYS[1], '*', ARGV[3], ARGV[4] }, { 'PUBLISH', ARGV[1], ARGV[2] } })
if denied then return denied end
local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 3))
redis.call('PUBLISH', ARGV[1], ARGV[2])
return id
