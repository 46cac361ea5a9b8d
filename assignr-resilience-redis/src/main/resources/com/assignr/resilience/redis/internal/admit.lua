-- admit: may one attempt go now? (appended to gate-common.lua)
--   ARGV[7] cold-start concurrency  ARGV[8] pacing (1/0)  ARGV[9] the caller's longest wait µs
--   ARGV[10] the member naming this attempt in the in-flight set
if expired() then return finish(-1, 0) end
local coldStart = tonumber(ARGV[7])
local pacing = ARGV[8] == '1'
local maxWait = tonumber(ARGV[9])
local member = ARGV[10]

local function admit()
  redis.call('ZADD', inflight, int(now + lease), member)
  redis.call('PEXPIRE', inflight, int(math.ceil(lease / 1000)))
  return finish(0, 0)
end

-- Closed: the k-th caller comes back k x spacing after the reopening, fleet-wide; a caller that
-- will not wait that long takes no place.
local wait = closed - now
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
  local spare = rem - reserve - (n + 1)
  if spare < 0 then
    if rem <= reserve then
      close(reset + margin, 2)
      return finish(1, math.max(1, reset + margin - now))
    end
    return finish(1, math.max(1, math.min(RECHECK, reset + margin - now)))
  end
  if pacing then
    if paced > now then return finish(1, paced - now) end
    put('paced', now + math.floor(math.max(0, reset - now) / (spare + 1)))
  end
  return admit()
end

-- Nothing known (a cold start, or the window has reset): until an answer has arrived since then,
-- only a few attempts are in flight across the fleet.
local unknownSince = since
if rem ~= nil and reset ~= nil then unknownSince = reset + margin end
if n + 1 > coldStart and answered < unknownSince then
  return finish(1, RECHECK)
end
return admit()
