--[[
  Removes the consumers of a group that hold no pending entry and have been
  idle longer than a bound: the names left behind by crashed processes and
  closes that could not reach Redis, which XINFO CONSUMERS would otherwise
  list forever. A consumer holding entries is never removed (XGROUP
  DELCONSUMER would drop them, and no claimer could ever take them over);
  a live consumer removed while idle is created again by its next read.

  Input:
    KEYS[1] stream

    ARGV[1] group
    ARGV[2] idle bound (ms)
    ARGV[3] the calling consumer (never removed)

  Output:
    the names of the consumers removed.
]]
local stream, group, bound, caller = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3]
local removed = {}
for _, info in ipairs(redis.call('XINFO', 'CONSUMERS', stream, group)) do
  local name, pending, idle
  for i = 1, #info, 2 do
    if info[i] == 'name' then name = info[i + 1]
    elseif info[i] == 'pending' then pending = info[i + 1]
    elseif info[i] == 'idle' then idle = info[i + 1] end
  end
  if name ~= caller and pending == 0 and idle > bound then
    redis.call('XGROUP', 'DELCONSUMER', stream, group, name)
    removed[#removed + 1] = name
  end
end
return removed
