--[[
  Appends the publishes of one tick to one stream in a single command: one
  script call (one reply) per batch instead of one XADD per event, which is
  most of a publish's client cost. Sent by raw-script-call.ts with arguments
  already written as RESP (append-batcher.ts), not by defineCommand.

  XADD takes the same arguments as the plain publish path (`*`, no trimming:
  retention runs separately, see trim.lua). One key, so it stays in the
  stream's slot.

  Each XADD runs under pcall: a refused one (wrong type, odd field count,
  OOM) wrote nothing and fails only its own entry; the others of the batch
  are still stored.

  The XADD of a published entry spells out its arguments: a table built
  per entry and unpacked cost Redis a third more time.

  Input:
    KEYS[1] stream

    ARGV[1] number of entries n, then per entry either:
      w > 0, then w field names and values (w is even); or
      -2, then the type and the document of an entry of format 1 (see
        entry-codec.ts), whose field names `type` and `v1` the script adds
        (fewer arguments to build, send and parse).

  Output:
    an array of n replies, per entry its new id, or `ERR <message>` when
    that XADD was refused.
]]
local key, ids, i = KEYS[1], {}, 2
for k = 1, tonumber(ARGV[1]) do
  local w = tonumber(ARGV[i])
  local ok, id
  if w == -2 then
    -- Names written out, no table per entry: half the Redis time of building one.
    ok, id = pcall(redis.call, 'XADD', key, '*', 'type', ARGV[i + 1], 'v1', ARGV[i + 2])
    w = 2
  else
    ok, id = pcall(redis.call, 'XADD', key, '*', unpack(ARGV, i + 1, i + w))
  end
  if ok then ids[k] = id else ids[k] = 'ERR ' .. tostring(type(id) == 'table' and id.err or id) end
  i = i + w + 1
end
return ids
