--[[
  Heartbeat of a consumer's held entries (fetched and waiting, or in
  flight): `XCLAIM ... 0 id JUSTID` resets their idle time (not their
  delivery count) so no claimer takes them as abandoned, but only for
  entries this consumer still owns, so it never steals back one a claimer
  already took over. Also what a consumer asks before it starts an entry
  it has held long enough for another consumer to have claimed it (after
  the process was stopped, or its event loop stalled).

  Input:
    KEYS[1] stream

    ARGV[1]    group
    ARGV[2]    consumer
    ARGV[3..]  entry ids

  Output:
    { {id, why}... } for the ids not pending for this consumer any more:
      'taken'    pending for another consumer (it took this one for dead);
      'done'     not pending: acked (or the group was reset), still stored;
      'deleted'  no longer in the stream (trimmed, XDEL, the stream or its
                 group deleted, the data flushed).
]]
local stream, group, consumer = KEYS[1], ARGV[1], ARGV[2]
local gone = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  local ok, p = pcall(redis.call, 'XPENDING', stream, group, id, id, 1)
  if not ok then p = {} end -- NOGROUP: the group (or the whole stream) is gone
  local why = nil
  if #p == 1 and p[1][2] == consumer then
    local got = redis.call('XCLAIM', stream, group, consumer, 0, id, 'JUSTID')
    if #got == 0 then why = 'deleted' end
  elseif #p == 1 then
    why = 'taken'
  elseif #redis.call('XRANGE', stream, id, id) == 0 then
    why = 'deleted'
  else
    why = 'done'
  end
  if why then gone[#gone + 1] = { id, why } end
end
return gone
