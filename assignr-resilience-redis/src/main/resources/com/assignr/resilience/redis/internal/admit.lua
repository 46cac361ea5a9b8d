-- admit: may one attempt go now? (appended to gate-common.lua)
--   ARGV[8] cold-start concurrency  ARGV[9] pacing (1/0)  ARGV[10] the caller's longest wait µs
--   ARGV[11] the member naming this attempt in the in-flight set
--   ARGV[12..18] what the calling instance knows of the gate, put back if the hash was lost:
--            remaining (-1: nothing), µs until its reset, closed for µs (0: open), when that
--            closure began (Redis µs, its name), why it closed, limit, period
--   ARGV[19] the most places the caller would hold (1: only this attempt's)
--   ARGV[20] how long held places count µs (the hold: they go by themselves then)
--   ARGV[21] '1': a renewal, no attempt waits; take places only if more than one can be held
if expired() then return finish(-1, 0) end
local coldStart = tonumber(ARGV[8])
local pacing = ARGV[9] == '1'
local maxWait = tonumber(ARGV[10])
local member = ARGV[11]
local maxHeld = tonumber(ARGV[19])
local hold = tonumber(ARGV[20])
local renewal = ARGV[21] == '1'
-- An instance holds at most this share of what is spare, so that its places are never more than
-- the others could have used meanwhile, and the share shrinks to one place as Remaining falls.
local HELD_SHARE = 4

-- Losing the hash must not forget a closure or a budget the fleet knew (issue 21): the first
-- admission after the loss carries this instance's view back. It can only be older than the lost
-- state, so it holds at most as many requests as that did (Remaining only falls within a window).
if lost then
  local knownRem, knownReset, knownClosed = tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14])
  local knownLimit, knownPeriod = tonumber(ARGV[17]), tonumber(ARGV[18])
  if knownRem >= 0 and knownReset >= 0 then
    update(knownRem, now + math.min(knownReset, MAX_CLOSURE))
    limit = knownLimit
    period = knownPeriod
    put('limit', limit)
    put('period', period)
  end
  if knownClosed > 0 then
    close(now + math.min(knownClosed, MAX_CLOSURE), tonumber(ARGV[16]))
    -- The same closure as before the loss, by name: no instance announces it twice.
    closedAt = tonumber(ARGV[15])
    put('closedAt', closedAt)
  end
end

-- Admits: one attempt's place (member, counted until its lease ends), or `places` held places
-- (member, member/2, ... member/places) that count for the hold only: the instance admits from
-- them without asking, and at the end of its lease extends those whose attempts still run and
-- hands back the rest (settle.lua). Either way they are in flight: the budget counts them.
local function admit(places)
  if places <= 1 then
    redis.call('ZADD', inflight, int(now + lease), member)
    granted = 1
  else
    local untilAt = int(now + hold)
    redis.call('ZADD', inflight, untilAt, member)
    for i = 2, places do
      redis.call('ZADD', inflight, untilAt, member .. '/' .. i)
    end
    granted = places
  end
  redis.call('PEXPIRE', inflight, int(math.ceil(math.max(lease, hold) / 1000)))
  return finish(0, 0)
end

-- Closed: the k-th caller comes back k x spacing after the reopening, fleet-wide; a caller that
-- will not wait that long takes no place.
local wait = closed - now
if wait > 0 and renewal then return finish(1, wait) end
if wait > 0 then
  local placed = wait + tickets * spacing
  if placed <= maxWait then
    tickets = tickets + 1
    put('tickets', tickets)
  end
  return finish(1, placed)
end

local n = redis.call('ZCARD', inflight)
if known() then
  local reserve = keepNow()
  local spare = rem - reserve - (n + 1)
  if spare < 0 then
    if rem <= reserve then
      close(reset + margin, 2)
      return finish(1, math.max(1, reset + margin - now))
    end
    return finish(1, math.max(1, math.min(RECHECK, reset + margin - now)))
  end
  -- Held places (issue 21): only while the budget is known for longer than they count, never
  -- paced (each admission has its own instant), and a share of what is spare that shrinks to one.
  local places = 1
  if maxHeld > 1 and not pacing and reset - now >= hold then
    places = math.max(1, math.min(maxHeld, math.floor((spare + 1) / HELD_SHARE)))
  end
  if renewal and places < 2 then return finish(1, 0) end
  if pacing then
    if paced > now then return finish(1, paced - now) end
    put('paced', now + math.floor(math.max(0, reset - now) / (spare + 1)))
  end
  return admit(places)
end

-- Nothing known (a cold start, or the window has reset): until an answer has arrived since then,
-- only a few attempts are in flight across the fleet.
local unknownSince = since
if rem ~= nil and reset ~= nil then unknownSince = reset + margin end
if renewal then return finish(1, RECHECK) end
if n + 1 > coldStart and answered < unknownSince then
  return finish(1, RECHECK)
end
return admit(1)
