--[[
  Heartbeat of a consumer's held entries (fetched and waiting, or in
  flight): `XCLAIM ... 0 id JUSTID` resets their idle time (not their
  delivery count) so no claimer takes them as abandoned, but only for
  entries this consumer still owns, so it never steals back one a claimer
  already took over.

  Input:
    KEYS[1] stream

    ARGV[1]    group
    ARGV[2]    consumer
    ARGV[3..]  entry ids

  Output:
    the ids not pending for this consumer any more (taken over, acked or
    deleted).
]]
local stream, group, consumer = KEYS[1], ARGV[1], ARGV[2]
local gone = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local p = redis.call('XPENDING', stream, group, id, id, 1)
  if #p == 1 and p[1][2] == consumer then
    local got = redis.call('XCLAIM', stream, group, consumer, 0, id, 'JUSTID')
    if #got == 0 then gone[#gone + 1] = id end
  else
    gone[#gone + 1] = id
  end
end
return gone
