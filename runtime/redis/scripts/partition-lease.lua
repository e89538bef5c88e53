--[[
  The lease of one partition for one group (partition-lease.ts): which
  consumer reads it. The key holds the holder's token and expires unless
  renewed, so a dead holder's partition comes free after the lease length.

  - 'acquire': takes the lease when free (SET NX PX) or already the
    caller's (renews it);
  - 'renew':   extends it only while the caller holds it;
  - 'release': deletes it only while the caller holds it.

  Input:
    KEYS[1] lease key, `{ns:stream:p<i>}:lease:<group>`

    ARGV[1] the caller's token
    ARGV[2] 'acquire' | 'renew' | 'release'
    ARGV[3] lease length in ms

  Output:
    1 the caller holds the lease (acquire, renew) or gave it up (release);
    0 another consumer holds it, or (renew, release) nobody does.
]]
local lease, token, mode, ms = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local holder = redis.call('GET', lease)
if mode == 'acquire' then
  if holder == false then
    redis.call('SET', lease, token, 'PX', ms)
    return 1
  end
  if holder ~= token then return 0 end
  redis.call('PEXPIRE', lease, ms)
  return 1
end
if holder ~= token then return 0 end
if mode == 'renew' then
  redis.call('PEXPIRE', lease, ms)
else
  redis.call('DEL', lease)
end
return 1
