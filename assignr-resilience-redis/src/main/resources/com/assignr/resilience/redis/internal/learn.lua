-- learn: an answer, a finished attempt, or an instance rejoining (appended to gate-common.lua)
--   ARGV[8]  status (0: a rejoin; -1: an attempt that ended without an answer)
--   ARGV[9]  Remaining, or -1
--   ARGV[10] µs until the reset, or -1     ARGV[11] closure µs when exhausted without a reset
--   ARGV[12] rejoin: closed for µs, or -1  ARGV[13] limit  ARGV[14] period (-1: unknown)
--   ARGV[15] whether rate-limit headers were present (1/0)
--   ARGV[16..] members of the in-flight set to remove (attempts that ended)
for i = 16, #ARGV do
  redis.call('ZREM', inflight, ARGV[i])
end
-- No deadline here: an answer is a fact whenever it lands (only an admission must not act late).
local status = tonumber(ARGV[8])
-- Every attempt that ended is the fleet's own, answered or not (a 429, no headers, no answer at
-- all): the server may have counted it, and counting too many only makes the people's use smaller.
if status ~= 0 then countAnswer() end
if status == -1 then return finish(2, 0) end -- an attempt that ended without an answer
local r = tonumber(ARGV[9])
local untilReset = tonumber(ARGV[10])
local fallback = tonumber(ARGV[11])
local closeFor = tonumber(ARGV[12])
local newLimit = tonumber(ARGV[13])
local newPeriod = tonumber(ARGV[14])
local present = ARGV[15] == '1'

-- The limit and period shown are those of the last answer that shows no more left than the budget
-- kept: the adopted one, or one with as many left (the next window's first, within the margin).
local function adopt(r, resetAt)
  if not update(r, resetAt) and r ~= rem then return end
  if newLimit ~= limit or newPeriod ~= period then
    limit = newLimit
    period = newPeriod
    put('limit', limit)
    put('period', period)
  end
end

if status == 0 then
  -- An instance that answered locally while Redis was away brings back what it learned. Its
  -- answers meanwhile are in no count: the people's use restarts with the next window.
  put('countFrom', now)
  if r >= 0 and untilReset >= 0 then
    adopt(r, now + math.min(untilReset, MAX_CLOSURE))
  end
  if closeFor > 0 then close(now + math.min(closeFor, MAX_CLOSURE), 5) end
  return finish(2, 0)
end

if now > answered then
  answered = now
  put('answered', answered)
end
if not present and status ~= 429 then return finish(2, 0) end
local n = redis.call('ZCARD', inflight)
-- What a window keeps with `rr` left: the answer's own limit names its window (without one, the
-- window kept is the best guess); the people's use is known only for the window kept.
local function reserveAt(rr)
  if newLimit < 0 or newLimit == limit then return keep(math.max(0, rr), n) end
  return reserveFor(newLimit, 0)
end
local exhausted = status == 429 or (r >= 0 and r <= reserveAt(r))
if untilReset < 0 then
  -- No usable reset: nothing to learn about the window, but "none left" still closes.
  if not exhausted then return finish(2, 0) end
  local w = math.min(fallback, MAX_CLOSURE)
  if status == 429 then adopt(0, now + w) else adopt(r, now + w) end
  if status == 429 then close(now + w + margin, 3) else close(now + w + margin, 4) end
  return finish(2, 0)
end
if status ~= 429 and r < 0 then return finish(2, 0) end
local resetAt = now + math.min(untilReset, MAX_CLOSURE)
if status == 429 then adopt(0, resetAt) else adopt(r, resetAt) end
if status ~= 429 then exhausted = r <= reserveAt(r) end -- against the window as adopted
if known() then
  people = peopleUsed(rem, n)
  peopleAt = reset
  put('people', people)
  put('peopleAt', peopleAt)
end
if status == 429 then
  close(resetAt + margin, 1)
elseif exhausted then
  close(resetAt + margin, 2)
end
return finish(2, 0)
