--[[
  Safe retention for Redis 7.0, which has no "trim only acked entries"
  option: MAXLEN and MINID delete entries a slow group has not read yet.

  Computes each group's floor, the oldest entry it still needs: its oldest
  pending id (XPENDING summary), else the id right after its
  last-delivered-id (a group that never read anything holds everything
  after the id it was created at). Computes the retention cutoff, the id of
  the first entry to keep, and trims with
  `XTRIM MINID <mode> min(floor, cutoff)`, so no entry a group has not acked
  is removed. A hard cap (an entry position, or an id for maxAge) trims even
  unacked entries (exactly), reported as `forced` so the caller can raise
  the alarm: a stuck group must not fill Redis until OOM.

  Bounded work per run: Redis 7.0 streams have no index by position, so the
  id `maxLen` entries from the end costs reading `maxLen` entries (100k
  entries blocked Redis for ~400 ms). Instead, with
  `excess = length - maxLen`, a run reads at most `chunk + 1` entries from
  the head (`XRANGE - + COUNT min(excess, chunk) + 1`) and the cutoff is the
  first entry after them: exact when the excess is within `chunk`, else a
  step towards it, and later runs converge. The hard cap is found the same
  way. When the floor is at or before the first entry nothing may go, and a
  trim run reads no entries for the cutoff (it reports the entry after the
  first as cutoff, so the groups at the floor show as holding the stream).
  maxAge cutoffs are ids: no reads.

  Cost: XINFO GROUPS, one XPENDING summary per group, then usually (see the
  fast path below) an XRANGE per group with pending entries over just
  those, and one XTRIM; else XRANGE COUNT 1 and at most one XRANGE of
  chunk + 1 entries. Run it every so many publishes, not on each.

  Input:
    KEYS[1] stream

    ARGV[1] 'maxlen' | 'maxage'
    ARGV[2] '~' (approximate) | '=' (exact)
    ARGV[3] '1' dry run (inspect only)
    maxlen: ARGV[4] maxLen (>= 1), ARGV[5] hard cap length (>= 1)
    maxage: ARGV[4] cutoff id, ARGV[5] hard cutoff id
    ARGV[6] chunk: most entries read (and so trimmed) per run to find a
            position

  Output:
    { removed, forcedRemoved, cutoff or '', floor or '',
      { group, floor, ... }, length before }:
    the cutoff is the first id retention keeps as far as this run looked (a
    lower bound of the exact one when the excess exceeds the chunk).
]]
local stream, mode, approx, dry = KEYS[1], ARGV[1], ARGV[2], ARGV[3] == '1'
local chunk = tonumber(ARGV[6])

local function split(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return ms, seq
end
-- a < b for stream ids, compared as numbers of any length
local function num_less(x, y)
  if #x ~= #y then return #x < #y end
  return x < y
end
local function less(a, b)
  local am, as = split(a)
  local bm, bs = split(b)
  if am ~= bm then return num_less(am, bm) end
  return num_less(as, bs)
end
local function next_id(id)
  local ms, seq = split(id)
  return ms .. '-' .. string.format('%d', tonumber(seq) + 1)
end

local len = redis.call('XLEN', stream)
if len == 0 then return { 0, 0, '', '', {}, 0 } end

local floors, floor, groups = {}, nil, {}
for _, g in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
  local info = {}
  for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
  local f
  if tonumber(info['pending']) > 0 then
    f = redis.call('XPENDING', stream, info['name'])[2]
  else
    f = next_id(info['last-delivered-id'])
  end
  info.floor = f
  groups[#groups + 1] = info
  floors[#floors + 1] = info['name']
  floors[#floors + 1] = f
  if floor == nil or less(f, floor) then floor = f end
end

-- Fast path (maxlen, a real run, below the hard cap): when every group's
-- floor is known to lie within the newest maxLen entries, XTRIM MAXLEN keeps
-- all of them, and no entry has to be read to find the cutoff. A group's
-- entries from its floor on are its lag (entries after its last-delivered-id,
-- Redis 7.0) plus, with pending entries, those from the oldest pending one to
-- its last-delivered-id (read, usually few). Otherwise (a lag Redis cannot
-- tell, too many to read, an exact trim of more than a chunk) the general
-- path below runs. It trusts Redis's lag: an entries-read counter set wrong
-- by hand (XGROUP SETID ... ENTRIESREAD, XSETID ENTRIESADDED) could make it
-- trim entries that group still needs.
if mode == 'maxlen' and not dry then
  local maxlen = tonumber(ARGV[4])
  local excess = len - maxlen
  if excess <= 0 then return { 0, 0, '', floor or '', floors, len } end
  if len <= tonumber(ARGV[5]) and (approx == '~' or excess <= chunk) then
    local held = 0 -- most entries some group needs, counted from its floor
    for _, info in ipairs(groups) do
      local lag = info['lag']
      if not lag then held = nil break end
      local need = lag
      if need <= maxlen and tonumber(info['pending']) > 0 then
        local limit = math.min(maxlen - lag, chunk)
        local span = #redis.call('XRANGE', stream, info.floor, info['last-delivered-id'], 'COUNT', limit + 1)
        if span > limit and limit < maxlen - lag then held = nil break end
        need = lag + span
      end
      if need > held then held = need end
    end
    if held then
      local removed
      if held <= maxlen then
        if approx == '~' then
          removed = redis.call('XTRIM', stream, 'MAXLEN', '~', maxlen, 'LIMIT', chunk)
        else
          removed = redis.call('XTRIM', stream, 'MAXLEN', '=', maxlen)
        end
      else
        -- A group needs more than maxLen entries: trim up to its floor only.
        removed = redis.call('XTRIM', stream, 'MINID', approx, floor)
      end
      return { removed, 0, '', floor or '', floors, len }
    end
  end
end

-- whether any entry lies before the floor (else retention may remove nothing)
local first = redis.call('XRANGE', stream, '-', '+', 'COUNT', 1)[1][1]
local movable = floor == nil or less(first, floor)

local cutoff, hard
if mode == 'maxlen' then
  local excess = len - tonumber(ARGV[4])
  local hard_excess = len - tonumber(ARGV[5])
  local k, hk = 0, 0
  if excess > 0 then
    if movable or dry then k = math.min(excess, chunk) else cutoff = next_id(first) end
  end
  if hard_excess > 0 then hk = math.min(hard_excess, chunk) end
  local n = math.max(k, hk)
  if n > 0 then
    local head = redis.call('XRANGE', stream, '-', '+', 'COUNT', n + 1)
    if k > 0 then cutoff = head[k + 1][1] end
    if hk > 0 then hard = head[hk + 1][1] end
  end
else
  cutoff = ARGV[4]
  hard = ARGV[5]
end

local removed, forced = 0, 0
if not dry then
  if cutoff and movable then
    local target = cutoff
    if floor and less(floor, target) then target = floor end
    removed = redis.call('XTRIM', stream, 'MINID', approx, target)
  end
  if hard and floor and less(floor, hard) then
    forced = redis.call('XTRIM', stream, 'MINID', '=', hard)
  end
end
return { removed, forced, cutoff or '', floor or '', floors, len }
