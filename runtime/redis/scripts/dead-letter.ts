/**
 * Dead-lettering in Lua: XADD to the DLQ first, then XACK for the group, then
 * the failure record is deleted, all in one script. A script is atomic and,
 * unlike MULTI, is not aborted as a whole by `maxmemory` noeviction once it
 * has started writing; adding before acking means a failure can at worst
 * leave the entry pending (to be moved again), never acked and lost.
 */

/**
 * Lua chunk defining `dead_letter(stream, dlq, failures, group, id, reason, err, attempts, now, store)`:
 * returns 1 when moved (or acked, when `store` is false), -1 when the entry no
 * longer exists (deleted while pending: acked, counted lost by the caller).
 * The DLQ entry is the seven `dlq:*` fields of runtime/internal/dead-letter-fields.ts
 * in their order, then the original fields. The first failure time and, when
 * `err` is empty, the error come from the failure record.
 */
export const DEAD_LETTER_FN = `
local function dead_letter(stream, dlq, failures, group, id, reason, err, attempts, now, store)
  local field = group .. ':' .. id
  local first = now
  local record = redis.call('HGET', failures, field)
  if record then
    local ok, rec = pcall(cjson.decode, record)
    if ok and type(rec) == 'table' then
      if type(rec.first) == 'string' then first = rec.first end
      if err == '' and type(rec.error) == 'string' then err = rec.error end
    end
  end
  local entry = redis.call('XRANGE', stream, id, id)
  if #entry == 0 or not entry[1][2] then
    redis.call('XACK', stream, group, id)
    redis.call('HDEL', failures, field)
    return -1
  end
  if store then
    local args = { 'dlq:group', group, 'dlq:entryid', id, 'dlq:reason', reason, 'dlq:error', err,
      'dlq:attempts', tostring(attempts), 'dlq:firstfailure', first, 'dlq:lastfailure', now }
    for _, v in ipairs(entry[1][2]) do args[#args + 1] = v end
    redis.call('XADD', dlq, '*', unpack(args))
  end
  redis.call('XACK', stream, group, id)
  redis.call('HDEL', failures, field)
  return 1
end
`;

/**
 * Moves one pending entry of a group to the DLQ (consumer side: non-retryable,
 * invalid, undecodable, or the last attempt failed) — only while the calling
 * consumer still owns it: once another consumer took it over (this one
 * looked dead), the entry is that consumer's to handle, ack or dead-letter.
 *
 * KEYS[1] stream, KEYS[2] dlq stream, KEYS[3] failure hash
 * ARGV[1] group, ARGV[2] consumer (the caller), ARGV[3] entry id, ARGV[4] reason,
 * ARGV[5] error (<= 1000 chars), ARGV[6] attempts seen by the caller, ARGV[7] now (ISO),
 * ARGV[8] '1' store in the DLQ / '0' only ack
 * Returns 1 moved, 0 not pending for the group any more (acked or moved
 * already: nothing done), 2 owned by another consumer (nothing done),
 * -1 entry deleted while pending (acked).
 * The stored attempts are the larger of ARGV[6] and the PEL delivery count.
 */
export const DEAD_LETTER_LUA = `${DEAD_LETTER_FN}
local stream, dlq, failures = KEYS[1], KEYS[2], KEYS[3]
local group, consumer, id = ARGV[1], ARGV[2], ARGV[3]
local pending = redis.call('XPENDING', stream, group, id, id, 1)
if #pending == 0 then return 0 end
if pending[1][2] ~= consumer then return 2 end
local attempts = math.max(tonumber(ARGV[6]), tonumber(pending[1][4]))
return dead_letter(stream, dlq, failures, group, id, ARGV[4], ARGV[5], attempts, ARGV[7], ARGV[8] == '1')
`;
