--[[
  dead_letter(stream, dlq, failures, group, id, reason, err, attempts, now, store):
  moves one pending entry of a group to the DLQ. Not a script: a Lua chunk
  that defines a local function. A script sent with EVAL cannot load
  another, so lua.ts puts this text before each script that calls it
  (claim.lua, dead-letter.lua, fail.lua).

  XADD to the DLQ first, then XACK for the group, then the failure record
  is deleted, all in the calling script, and only once the ACL allows all
  three (refused(), includes/refused-function.lua): a refused XACK after a
  stored XADD would add the entry to the DLQ again at every try. A script is atomic and, unlike
  MULTI, is not aborted as a whole by `maxmemory` noeviction once it has
  started writing; adding before acking means a failure can at worst leave
  the entry pending (to be moved again), never acked and lost.

  The DLQ entry is the seven `dlq:*` fields of
  runtime/internal/dead-letter-fields.ts in their order, then the original
  fields. The first failure time and, when `err` is empty, the error come
  from the failure record (`<group>:<id>` in the failure hash).

  Input:
    no KEYS or ARGV of its own: the calling script passes its keys and
    values as parameters.
    stream, dlq, failures  the stream, the DLQ stream, the failure hash
    group, id              the group and the pending entry's id
    reason, err            `dlq:reason` and `dlq:error` ('' = from the record)
    attempts               `dlq:attempts` (a number)
    now                    ISO time: `dlq:lastfailure`, and `dlq:firstfailure`
                           when there is no record
    store                  true: XADD to the DLQ; false: only ack

  Output:
    1 when moved (or acked, when `store` is false), -1 when the entry no
    longer exists (deleted while pending: acked, its record deleted,
    counted lost by the caller), or the NOPERM error reply of refused()
    (nothing written).
]]
local function dead_letter(stream, dlq, failures, group, id, reason, err, attempts, now, store)
  local field = group .. ':' .. id
  local checks = { { 'XACK', stream, group, id }, { 'HDEL', failures, field } }
  if store then checks[3] = { 'XADD', dlq, '*', 'dlq:group', group } end
  local denied = refused(checks)
  if denied then return denied end
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
