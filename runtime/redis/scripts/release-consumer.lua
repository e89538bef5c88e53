--[[
  Removes a consumer from its group only when it holds no pending entry:
  `XGROUP DELCONSUMER` would silently drop them (they could never be
  claimed).

  Input:
    KEYS[1] stream

    ARGV[1] group
    ARGV[2] consumer

  Output:
    1 when deleted, 0 when it still holds entries (left for a claimer).
]]
local p = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #p > 0 then return 0 end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
