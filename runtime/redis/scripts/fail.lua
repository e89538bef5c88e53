--[[
  A handler failed (retryable): record the failure and restart the entry's
  idle clock, or dead-letter it when its deliveries are used up. Only while
  the calling consumer still owns the entry.

  The record (`<group>:<id>` in the failure hash) is JSON
  { first, last, error, attempt, delay }: `attempt` is the delivery count it
  failed at, so the claimer (claim.lua) knows the backoff applies to the
  current delivery; `first` is kept from an earlier record.
  Calls dead_letter(), which lua.ts puts before this text
  (includes/dead-letter-function.lua).

  Input:
    KEYS[1] stream
    KEYS[2] dlq stream
    KEYS[3] failure hash

    ARGV[1] group
    ARGV[2] consumer
    ARGV[3] entry id
    ARGV[4] error (<= 1000 chars)
    ARGV[5] now (ISO)
    ARGV[6] retry delay in ms
    ARGV[7] maxAttempts
    ARGV[8] '1' store in the DLQ

  Output:
    { outcome, deliveries }:
      1 recorded for a retry; `XCLAIM ... JUSTID` reset the idle time (not
        the delivery count), so the claimer retries it once idle >= delay;
      2 deliveries >= maxAttempts: dead-lettered ('exhausted');
      3 the entry was deleted while pending (acked; a loss);
      0 no longer pending for this consumer (acked, or claimed by another
        consumer that presumed this one dead): nothing done;
    or the NOPERM error of refused() when the dead-lettering is not allowed
    (nothing written; the entry stays pending).
]]
local stream, dlq, failures = KEYS[1], KEYS[2], KEYS[3]
local group, consumer, id, err, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local delay, max_attempts = tonumber(ARGV[6]), tonumber(ARGV[7])
local pending = redis.call('XPENDING', stream, group, id, id, 1)
if #pending == 0 or pending[1][2] ~= consumer then return { 0, 0 } end
local count = tonumber(pending[1][4])
if count >= max_attempts then
  local moved = dead_letter(stream, dlq, failures, group, id, 'exhausted', err, count, now, ARGV[8] == '1')
  if type(moved) == 'table' then return moved end -- refused by the ACL: nothing written
  if moved == 1 then return { 2, count } end
  return { 3, count }
end
local field = group .. ':' .. id
local first = now
local old = redis.call('HGET', failures, field)
if old then
  local ok, rec = pcall(cjson.decode, old)
  if ok and type(rec) == 'table' and type(rec.first) == 'string' then first = rec.first end
end
redis.call('HSET', failures, field,
  cjson.encode({ first = first, last = now, error = err, attempt = count, delay = delay }))
local claimed = redis.call('XCLAIM', stream, group, consumer, 0, id, 'JUSTID')
if #claimed == 0 then
  redis.call('HDEL', failures, field)
  return { 3, count }
end
return { 1, count }
