--[[
  Moves one pending entry of a group to the DLQ, consumer side: the event is
  non-retryable, invalid or undecodable, or its last attempt failed. Only
  while the calling consumer still owns it: once another consumer took it
  over (this one looked dead), the entry is that consumer's to handle, ack
  or dead-letter.

  The stored attempts are the larger of ARGV[6] and the PEL delivery count.
  Calls dead_letter(), which lua.ts puts before this text
  (includes/dead-letter-function.lua).

  Input:
    KEYS[1] stream
    KEYS[2] dlq stream
    KEYS[3] failure hash

    ARGV[1] group
    ARGV[2] consumer (the caller)
    ARGV[3] entry id
    ARGV[4] reason
    ARGV[5] error (<= 1000 chars; '' = the failure record's)
    ARGV[6] attempts seen by the caller
    ARGV[7] now (ISO)
    ARGV[8] '1' store in the DLQ, '0' only ack

  Output:
     1 moved
     0 not pending for the group any more (acked or moved already: nothing done)
     2 owned by another consumer (nothing done)
    -1 entry deleted while pending (acked)
]]
local stream, dlq, failures = KEYS[1], KEYS[2], KEYS[3]
local group, consumer, id = ARGV[1], ARGV[2], ARGV[3]
local pending = redis.call('XPENDING', stream, group, id, id, 1)
if #pending == 0 then return 0 end
if pending[1][2] ~= consumer then return 2 end
local attempts = math.max(tonumber(ARGV[6]), tonumber(pending[1][4]))
return dead_letter(stream, dlq, failures, group, id, ARGV[4], ARGV[5], attempts, ARGV[7], ARGV[8] == '1')
