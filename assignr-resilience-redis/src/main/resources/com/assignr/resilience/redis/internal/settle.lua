-- settle: the end of an instance's held places (RedisRateLimitGate's lease). Standalone.
--   KEYS[1]  <prefix>:{<quota>}:inflight, the sorted set admit.lua put the places in
--   ARGV[1]  deadline (ignored: a late settlement is as right as an early one)
--   ARGV[2]  now µs, or -1: Redis's own clock (TIME)
--   ARGV[3]  µs an attempt counts as in flight at most (the store's in-flight lease)
--   ARGV[4]  how many members follow to hand back (places no attempt took); after them, the
--            members whose attempts still run: they count for a whole in-flight lease from now,
--            put back if a late settlement finds them expired (an attempt that ended later sends
--            its removal after this, on the same connection)
-- Answers {2, 0, now, in flight}.
local inflight = KEYS[1]
local now = tonumber(ARGV[2])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local lease = tonumber(ARGV[3])
local handBack = tonumber(ARGV[4])
for i = 5, 4 + handBack do
  redis.call('ZREM', inflight, ARGV[i])
end
local untilAt = string.format('%.0f', now + lease)
for i = 5 + handBack, #ARGV do
  redis.call('ZADD', inflight, untilAt, ARGV[i])
end
if #ARGV > 4 + handBack then
  redis.call('PEXPIRE', inflight, string.format('%.0f', math.ceil(lease / 1000)))
end
return {2, 0, now, redis.call('ZCARD', inflight)}
