--[[
  The membership of one group on a partitioned stream
  (partition-membership.ts): a sorted set of the consumers that read it,
  each scored with when its heartbeat expires on Redis's clock (TIME), so
  every consumer sees the same members whatever the hosts' clocks say.
  Expired members are removed on every call.

  Input:
    KEYS[1] members key, `{ns:stream}:members:<group>`

    ARGV[1] the caller's token
    ARGV[2] heartbeat expiry in ms
    ARGV[3] 'beat' (join or stay) | 'leave'

  Output:
    the live members' tokens (any order).
]]
local members, token, ttl, mode = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', members, '-inf', now)
if mode == 'beat' then
  redis.call('ZADD', members, now + ttl, token)
  redis.call('PEXPIRE', members, 2 * ttl)
else
  redis.call('ZREM', members, token)
end
return redis.call('ZRANGE', members, 0, -1)
