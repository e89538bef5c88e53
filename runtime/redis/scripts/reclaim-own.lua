--[[
  The re-read of a consumer's own pending entries (pending-rereader.ts), one
  call per page of ids so that nothing can change between the ownership
  check and the claim.

  Brings back entries pending for the calling consumer that it does not
  hold: per id, only while the caller still owns it (a claimer may have
  taken it over since it was listed), and not when a failure record exists
  for its current delivery (a retry waiting for its backoff: the claim
  scan's to run, with one delivery more). Then:
  - mode 'same': `XCLAIM ... 0 id JUSTID` (idle reset, delivery count
    unchanged): the entry was served to this process by a read whose reply
    was lost, or claimed by a scan whose reply was lost, so the delivery
    Redis counted then is the one it gets now;
  - mode 'next': `XCLAIM ... 0 id` (delivery count + 1): the entry was left
    by a previous process with the same consumer name, whose handler may
    have run (or crashed it): a real redelivery, so an event that kills
    every process handling it still reaches maxAttempts.
  An entry deleted while pending is acked, its record deleted, and reported
  lost.

  Input:
    KEYS[1] stream
    KEYS[2] failure hash

    ARGV[1]    group
    ARGV[2]    consumer
    ARGV[3]    'same' | 'next'
    ARGV[4..]  entry ids

  Output:
    { claimed, lost }:
      claimed = { {id, fields, deliveries}... }
      lost    = { id... }
]]
local stream, failures = KEYS[1], KEYS[2]
local group, consumer, next = ARGV[1], ARGV[2], ARGV[3] == 'next'
local claimed, lost = {}, {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local p = redis.call('XPENDING', stream, group, id, id, 1)
  if #p == 1 and p[1][2] == consumer then
    local count = tonumber(p[1][4])
    local waiting = false
    local record = redis.call('HGET', failures, group .. ':' .. id)
    if record then
      local ok, rec = pcall(cjson.decode, record)
      waiting = ok and type(rec) == 'table' and tonumber(rec.attempt) == count
    end
    if not waiting then
      local entry = redis.call('XRANGE', stream, id, id)
      if #entry == 0 or not entry[1][2] then
        redis.call('XACK', stream, group, id)
        redis.call('HDEL', failures, group .. ':' .. id)
        lost[#lost + 1] = id
      elseif next then
        redis.call('XCLAIM', stream, group, consumer, 0, id)
        claimed[#claimed + 1] = { id, entry[1][2], count + 1 }
      else
        redis.call('XCLAIM', stream, group, consumer, 0, id, 'JUSTID')
        claimed[#claimed + 1] = { id, entry[1][2], count }
      end
    end
  end
end
return { claimed, lost }
