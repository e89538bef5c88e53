--[[
  The claimer's scan: retries whose backoff has elapsed, and entries held by
  a consumer presumed dead, are claimed by the caller in one atomic script.

  Walks the group's PEL with `XPENDING ... IDLE minIdle` (oldest first, in
  pages of 100) and, per entry `[id, owner, idle, deliveries]`:
  - the threshold is the recorded retry delay when the failure hash holds a
    record for the current delivery, else claimIdleMs (owner presumed dead);
  - idle below the threshold: left alone;
  - deliveries >= maxAttempts: dead-lettered ('exhausted'), so an entry
    whose consumer crashes on every delivery still ends in the DLQ;
  - else `XCLAIM ... <threshold> id` to the caller (the delivery count goes
    up by one; the min-idle makes a concurrent claimer lose), at most
    maxClaims; an entry XCLAIM drops (deleted or trimmed while pending,
    Redis 7.0) is reported lost and its record deleted.
  Calls dead_letter(), which lua.ts puts before this text
  (includes/dead-letter-function.lua).

  Input:
    KEYS[1] stream
    KEYS[2] dlq stream
    KEYS[3] failure hash

    ARGV[1] group
    ARGV[2] consumer (the claimer)
    ARGV[3] minIdle for the scan (ms)
    ARGV[4] claimIdleMs
    ARGV[5] maxAttempts
    ARGV[6] maxClaims
    ARGV[7] now (ISO)
    ARGV[8] '1' store in the DLQ
    ARGV[9] max PEL entries to look at

  Output:
    { claimed, deadLettered, lost, refusal }:
      claimed      = { {id, fields, deliveries, from}... } (deliveries after the claim;
                     from = the previous owner when it was claimed as presumed dead,
                     idle past claimIdleMs without a retry record, else false)
      deadLettered = { {id, deliveries, owner}... }
      lost         = { id... }
      refusal      = the NOPERM message of a dead-lettering the ACL refused
                     (nothing written, the entry stays pending), or false
]]
local stream, dlq, failures = KEYS[1], KEYS[2], KEYS[3]
local group, consumer = ARGV[1], ARGV[2]
local min_idle, claim_idle = tonumber(ARGV[3]), tonumber(ARGV[4])
local max_attempts, max_claims = tonumber(ARGV[5]), tonumber(ARGV[6])
local now, store, max_scan = ARGV[7], ARGV[8] == '1', tonumber(ARGV[9])
local claimed, dead, lost, refusal = {}, {}, {}, false
local start, scanned = '-', 0
while scanned < max_scan do
  local page = redis.call('XPENDING', stream, group, 'IDLE', min_idle, start, '+', 100)
  for _, p in ipairs(page) do
    scanned = scanned + 1
    local id, owner, idle, count = p[1], p[2], tonumber(p[3]), tonumber(p[4])
    local threshold = claim_idle
    local record = redis.call('HGET', failures, group .. ':' .. id)
    if record then
      local ok, rec = pcall(cjson.decode, record)
      if ok and type(rec) == 'table' and tonumber(rec.attempt) == count and tonumber(rec.delay) then
        threshold = tonumber(rec.delay)
      end
    end
    if idle >= threshold then
      if count >= max_attempts then
        local err = 'delivered ' .. count .. ' times (last to consumer ' .. owner ..
          ') without an ack: its consumer stopped before finishing (crashed or killed?)'
        if record then err = '' end
        local moved = dead_letter(stream, dlq, failures, group, id, 'exhausted', err, count, now, store)
        if moved == 1 then dead[#dead + 1] = { id, count, owner }
        elseif moved == -1 then lost[#lost + 1] = id
        else refusal = moved.err end -- refused by the ACL: nothing written, still pending
      elseif #claimed < max_claims then
        local got = redis.call('XCLAIM', stream, group, consumer, threshold, id)
        if #got == 0 or not got[1][2] then
          redis.call('XACK', stream, group, id)
          redis.call('HDEL', failures, group .. ':' .. id)
          lost[#lost + 1] = id
        else
          local from = false
          if threshold == claim_idle and owner ~= consumer then from = owner end
          claimed[#claimed + 1] = { id, got[1][2], count + 1, from }
        end
      end
    end
    start = '(' .. id
  end
  if #page < 100 or #claimed >= max_claims then break end
end
return { claimed, dead, lost, refusal }
