--[[
  Taking over a partition (partition-takeover.ts): the group's pending
  entries of the partition, whoever holds them (the previous holder, dead
  or gone), are claimed to the caller in id order, one page per call, but
  only while the caller holds the partition's lease; the claim idle bound
  does not apply (the lease says the previous holder is done with them).

  Each entry is claimed with `XCLAIM ... 0 id` (delivery count + 1: the
  previous holder's handler may have run). A retry still waiting for its
  backoff (a failure record for its current delivery) is returned with how
  long it still waits, so the caller holds it, and the later events of its
  key, until then. An entry deleted while pending is acked, its record
  deleted, and reported lost.

  Input:
    KEYS[1] stream (the partition)
    KEYS[2] failure hash
    KEYS[3] lease key

    ARGV[1] group
    ARGV[2] consumer
    ARGV[3] the caller's lease token
    ARGV[4] start: '-' or '(<id>' (after the last id of the previous page)
    ARGV[5] page size

  Output:
    { claimed, lost, last }:
      claimed = { {id, fields, deliveries, waitMs}... } in id order
      lost    = { id... }
      last    = the last id looked at, '' when the list was done
    or { -1 } when the caller does not hold the lease (nothing done).
]]
local stream, failures, lease = KEYS[1], KEYS[2], KEYS[3]
local group, consumer, token, start, page = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
if redis.call('GET', lease) ~= token then return { -1 } end
local rows = redis.call('XPENDING', stream, group, start, '+', page)
local claimed, lost = {}, {}
local last = ''
for _, row in ipairs(rows) do
  local id, idle, count = row[1], tonumber(row[3]), tonumber(row[4])
  last = id
  local entry = redis.call('XRANGE', stream, id, id)
  if #entry == 0 or not entry[1][2] then
    redis.call('XACK', stream, group, id)
    redis.call('HDEL', failures, group .. ':' .. id)
    lost[#lost + 1] = id
  else
    local wait = 0
    local record = redis.call('HGET', failures, group .. ':' .. id)
    if record then
      local ok, rec = pcall(cjson.decode, record)
      if ok and type(rec) == 'table' and tonumber(rec.attempt) == count then
        wait = math.max(0, (tonumber(rec.delay) or 0) - idle)
      end
    end
    redis.call('XCLAIM', stream, group, consumer, 0, id)
    claimed[#claimed + 1] = { id, entry[1][2], count + 1, wait }
  end
end
if #rows < page then last = '' end
return { claimed, lost, last }
