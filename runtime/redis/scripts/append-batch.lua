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

  The standard XADD spells out its arguments: a table built per entry and
  unpacked cost Redis a third more time.

  Input:
    KEYS[1] stream

    ARGV[1] number of entries n, then per entry either:
      w > 0, then w field names and values (w is even); or
      -7, then the 7 values of the standard fields of an envelope, in this
        order: specversion id source type time datacontenttype data (see
        encodeEnvelope), whose names the script adds (fewer arguments to
        build, send and parse).

  Output:
    an array of n replies, per entry its new id, or `ERR <message>` when
    that XADD was refused.
]]
local key, ids, i = KEYS[1], {}, 2
for k = 1, tonumber(ARGV[1]) do
  local w = tonumber(ARGV[i])
  local ok, id
  if w < 0 then
    -- Names written out, no table per entry: half the Redis time of building one.
    ok, id = pcall(redis.call, 'XADD', key, '*', 'specversion', ARGV[i + 1], 'id', ARGV[i + 2],
      'source', ARGV[i + 3], 'type', ARGV[i + 4], 'time', ARGV[i + 5],
      'datacontenttype', ARGV[i + 6], 'data', ARGV[i + 7])
    w = 7
  else
    ok, id = pcall(redis.call, 'XADD', key, '*', unpack(ARGV, i + 1, i + w))
  end
  if ok then ids[k] = id else ids[k] = 'ERR ' .. tostring(type(id) == 'table' and id.err or id) end
  i = i + w + 1
end
return ids
