--[[
  refused(commands): an error reply naming the first of `commands` this
  connection's ACL user may not run, or nil when it may run them all. Not a
  script: a Lua chunk that defines a local function, put before each script
  that writes more than once (lua.ts).

  Redis checks a script's commands against the ACL one by one, and a write
  that succeeded stays when a later command of the same script is refused:
  a publish whose XADD was stored but whose PUBLISH was refused would be
  reported as failed and published again, a dead letter whose XACK was
  refused would be added to the DLQ again at every try. So such a script
  asks first, with redis.acl_check_cmd (Redis 7.0 and later; without it,
  every command counts as allowed), and writes nothing when one is refused.

  Input:
    no KEYS or ARGV of its own: the calling script passes
    commands  a list of commands, each a list: name, then its arguments as
              the script will send them (keys and channels are what the ACL
              checks)

  Output:
    nil, or an error reply `NOPERM ... nothing was written`.
]]
local function refused(commands)
  if not redis.acl_check_cmd then return nil end
  for _, command in ipairs(commands) do
    if not redis.acl_check_cmd(unpack(command)) then
      return redis.error_reply('NOPERM this user has no permissions to run the \'' ..
        string.lower(command[1]) .. '\' command on \'' .. tostring(command[2]) ..
        '\', so the script wrote nothing (grant it, see `schemabus acl`)')
    end
  end
  return nil
end
