/**
 * Safe retention for Redis 7.0, which has no "trim only acked entries"
 * option: MAXLEN and MINID delete entries a slow group has not read yet.
 */

/**
 * Computes each group's floor — the oldest entry it still needs: its oldest
 * pending id (XPENDING summary), else the id right after its
 * last-delivered-id (a group that never read anything holds everything after
 * the id it was created at) — and the retention cutoff — the id of the first
 * entry to keep: `maxLen` entries from the end, or `<now - maxAgeMs>-0` — and
 * trims with `XTRIM MINID <mode> min(floor, cutoff)`, so no entry a group has
 * not acked is removed. A hard cap (an entry position, or an id for maxAge)
 * trims even unacked entries (exactly), reported as `forced` so the caller can raise
 * the alarm: a stuck group must not fill Redis until OOM.
 *
 * KEYS[1] stream
 * ARGV[1] 'maxlen' | 'maxage', ARGV[2] '~' (approximate) | '=' (exact), ARGV[3] '1' dry run (inspect only)
 * maxlen: ARGV[4] maxLen, ARGV[5] hard cap length; maxage: ARGV[4] cutoff id, ARGV[5] hard cutoff id
 * Returns { removed, forcedRemoved, cutoff or '', floor or '', { group, floor, ... }, length before }.
 * Cost: XINFO GROUPS, one XPENDING summary per group, and for maxLen the
 * shorter of XRANGE/XREVRANGE to the cutoff position; run it every so many
 * publishes, not on each.
 */
export const TRIM_LUA = `
local stream, mode, approx, dry = KEYS[1], ARGV[1], ARGV[2], ARGV[3] == '1'

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

-- id of the entry after the first k entries (the first to keep when dropping k), nil when k <= 0
local function id_at(k)
  if k <= 0 then return nil end
  if k >= len then return nil end
  if k + 1 <= len - k then
    local r = redis.call('XRANGE', stream, '-', '+', 'COUNT', k + 1)
    return r[#r][1]
  end
  local r = redis.call('XREVRANGE', stream, '+', '-', 'COUNT', len - k)
  return r[#r][1]
end

local floors, floor = {}, nil
for _, g in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
  local info = {}
  for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
  local f
  if tonumber(info['pending']) > 0 then
    f = redis.call('XPENDING', stream, info['name'])[2]
  else
    f = next_id(info['last-delivered-id'])
  end
  floors[#floors + 1] = info['name']
  floors[#floors + 1] = f
  if floor == nil or less(f, floor) then floor = f end
end

local cutoff, hard
if mode == 'maxlen' then
  cutoff = id_at(len - tonumber(ARGV[4]))
  hard = id_at(len - tonumber(ARGV[5]))
else
  cutoff = ARGV[4]
  hard = ARGV[5]
end

local removed, forced = 0, 0
if not dry then
  if cutoff then
    local target = cutoff
    if floor and less(floor, target) then target = floor end
    removed = redis.call('XTRIM', stream, 'MINID', approx, target)
  end
  if hard and floor and less(floor, hard) then
    forced = redis.call('XTRIM', stream, 'MINID', '=', hard)
  end
end
return { removed, forced, cutoff or '', floor or '', floors, len }
`;
