-- The shared part of the gate's scripts (admit.lua and learn.lua are appended to it). One quota:
--   KEYS[1]  <prefix>:{<quota>}:gate      hash: what the fleet knows (fields below)
--   KEYS[2]  <prefix>:{<quota>}:inflight  sorted set: attempts admitted and not yet answered,
--                                         member "<instance>:<n>", score = when its lease ends
--   KEYS[3]  <prefix>:{<quota>}:answers   sorted set: the fleet's answers by second, for the
--                                         people's use (score: the second, member
--                                         "<second>:<answers counted before it>")
-- The keys carry the quota as their hash tag, so they live in one Redis Cluster slot.
--   ARGV[1]  deadline (Redis µs): the caller stops waiting then; a script that starts later
--            changes nothing and answers EXPIRED (0 = no deadline)
--   ARGV[2]  reserve   ARGV[3] margin µs   ARGV[4] release spacing µs   ARGV[5] lease µs
--   ARGV[6]  now µs, or -1: Redis's own clock (TIME)
--   ARGV[7]  the people's share of each window, parts per million (GatePolicy.interactiveShare)
-- In production every time is Redis's own clock (TIME, µs), so instances with skewed clocks agree;
-- only tests pass the time (their virtual time), and no deadline with it. Every write sets a TTL:
-- the hash outlives the last reset or closure it knows by one lease, the in-flight set its newest
-- lease, so a crashed instance leaves nothing behind for longer than that.
-- The rules are specified by the testkit's GateContract (gate-contract.txt), a table of scenarios
-- that these scripts and core's LocalRateLimitGate both pass.
-- Gate hash fields (µs times):
--   rem, reset   the last Remaining and when its window resets (the binding rule)
--   closed       closed until; tickets: the next release place; why: what closed it
--   closedAt     when the last closure began: it names the closure, so that every instance
--                announces each closure once, whoever closed it
--   answered     when the last answer arrived; since: when this state began (cold start)
--   paced        the next paced admission; limit, period: the binding rule, for state()
--   owned        the fleet's answers the server counted since `since`; ownedSec: the second of
--                the last (its first answer added an entry to KEYS[3])
--   people       what the people had used of the window at the last answer (learn.lua), for the
--                admissions; peopleAt: that window's reset (it names the window)
--   countFrom    when the count of the fleet's answers last became whole (an instance rejoined:
--                what it answered alone is in no count); `since` until then
local gate, inflight, answers = KEYS[1], KEYS[2], KEYS[3]
local now = tonumber(ARGV[6])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local deadline = tonumber(ARGV[1])
local reserve = tonumber(ARGV[2])
local margin = tonumber(ARGV[3])
local spacing = tonumber(ARGV[4])
local lease = tonumber(ARGV[5])
local sharePpm = tonumber(ARGV[7])
-- Assignr's longest window is an hour; nothing closes the gate for longer than a day.
local MAX_CLOSURE = 86400000000
-- When budget is only held by attempts in flight, look again this soon.
local RECHECK = 50000

local g = redis.call('HMGET', gate, 'rem', 'reset', 'closed', 'tickets', 'answered', 'since',
  'paced', 'limit', 'period', 'why', 'closedAt', 'owned', 'ownedSec', 'people', 'peopleAt', 'countFrom')
local rem = tonumber(g[1])
local reset = tonumber(g[2])
local closed = tonumber(g[3]) or 0
local tickets = tonumber(g[4]) or 1
local answered = tonumber(g[5]) or -1
local since = tonumber(g[6])
local paced = tonumber(g[7]) or 0
local limit = tonumber(g[8]) or -1
local period = tonumber(g[9]) or -1
local why = tonumber(g[10]) or 0
local closedAt = tonumber(g[11]) or -1
local owned = tonumber(g[12]) or 0
local ownedSec = tonumber(g[13]) or -1
local people = tonumber(g[14]) or 0
local peopleAt = tonumber(g[15]) or -1
local countFrom = tonumber(g[16])
-- The answers log covers Assignr's longest window (an hour) and a minute more; it lives as long
-- as the hash (its counts are there).
local LOG_SECONDS = 3660
local writes = {}
-- How many places an admission gave (admit.lua): 1 for one attempt, more for held places.
local granted = 0

-- Integers as exact decimal strings (Lua's default number format keeps only 14 digits).
local function int(x)
  return string.format('%.0f', x)
end

local function put(field, value)
  writes[#writes + 1] = field
  writes[#writes + 1] = int(value)
end

-- No hash: a first start, or Redis lost it (FLUSHALL, eviction, a restart). admit.lua then puts
-- back what the calling instance still knows.
local lost = since == nil
if since == nil then
  since = now
  put('since', since)
  redis.call('DEL', answers) -- its counts went with the hash
end
redis.call('ZREMRANGEBYSCORE', inflight, '-inf', int(now))

-- The requests a window of `l` keeps unused once the people used `used` of it: the larger of the
-- reserve and the people's share of the limit (rounded up) less what they used; the reserve alone
-- while the limit is unknown (GatePolicy.reserveFor).
local function reserveFor(l, used)
  if l == nil or l <= 0 or sharePpm == 0 then return reserve end
  local share = math.floor((math.min(l, 1000000000) * sharePpm + 999999) / 1000000)
  return math.max(reserve, share - math.max(0, used))
end

-- One more answer of the fleet that the server counted (learn.lua).
local function countAnswer()
  local sec = math.floor(now / 1000000)
  if sec ~= ownedSec then
    redis.call('ZADD', answers, int(sec), int(sec) .. ':' .. int(owned))
    redis.call('ZREMRANGEBYSCORE', answers, '-inf', int(sec - LOG_SECONDS))
    ownedSec = sec
    put('ownedSec', ownedSec)
  end
  owned = owned + 1
  put('owned', owned)
end

-- The fleet's answers since `t` (µs), from the first second at or after t's: a few in t's own
-- second too, which can only make the people's use look smaller.
local function ownSince(t)
  local first = redis.call('ZRANGEBYSCORE', answers, int(math.floor(t / 1000000)), '+inf', 'LIMIT', 0, 1)
  if #first == 0 then return 0 end
  return owned - tonumber(string.match(first[1], ':(%d+)$'))
end

-- What the people used of the kept window, with `r` left and `n` in flight (GatePolicy.reserveFor):
-- Remaining fell by `limit - r` since the window began (its reset less its period, less the
-- margin: the seconds to a reset are rounded down); what the fleet's answers and attempts in
-- flight do not account for was theirs. Only for a window the log covers whole (it began after
-- `since`, and after the last rejoin): one first seen half spent may have been the fleet's own,
-- and must never shrink the people's share. Every error here (an answer on its way, rounding)
-- counts the people's use short, so the share kept errs their way.
local function peopleUsed(r, n)
  if rem == nil or reset == nil or limit <= 0 or period <= 0 then return 0 end
  local start = reset - period * 1000000 - margin
  if start < since or (countFrom ~= nil and start < countFrom) then return 0 end
  return (limit - r) - ownSince(start) - n
end

-- The requests the kept window keeps unused, with `r` left and `n` attempts in flight.
local function keep(r, n)
  return reserveFor(limit, peopleUsed(r, n))
end

-- The same for an admission: the people's use as the last answer showed it. Attempts admitted
-- since cannot be in that answer's Remaining, so none is taken off again.
local function keepNow()
  if peopleAt ~= reset then return reserveFor(limit, 0) end
  return reserveFor(limit, people)
end

-- Is the known budget still the current window's? Assignr rounds the seconds to the reset down,
-- so the true reset is up to a second (the margin) after the one computed: until then the window
-- may not have reset at all, and the old budget is the safe one. (An answer in a window's last
-- second says "0 s": believing the reset at once would admit without limit while the server
-- still counts the old window.)
local function known()
  return rem ~= nil and reset ~= nil and now < reset + margin
end

-- Adopts an answer's budget when nothing is known, the known window has reset (plus the margin),
-- or it shows fewer left. Until then Remaining only falls, so more left is a stale answer: one
-- that overtook a later one, or a slow one whose computed reset lands late. Answers whether it
-- adopted the budget.
local function update(r, resetAt)
  if known() and r >= rem then return false end
  rem = r
  reset = resetAt
  put('rem', rem)
  put('reset', reset)
  return true
end

-- Closes until `untilAt`. While a closure is in effect this only extends it (never shortens it):
-- the same closure. Once it has ended, seen or not, a new closure begins: it hands out places
-- from 1 and is named by when it began. A closure that ends by now is none.
local function close(untilAt, reason)
  if untilAt <= now then return end
  if closed <= now then
    tickets = 1
    why = reason
    closedAt = now
    put('tickets', tickets)
    put('why', why)
    put('closedAt', closedAt)
  end
  if untilAt > closed then
    closed = untilAt
    put('closed', closed)
  end
end

-- Writes what changed, renews the TTLs and answers:
-- {code, wait µs, now µs, remaining (-1: unknown), until reset µs (negative within the margin),
--  closed for µs, in flight, limit, period,
--  why, when the last closure began (-1: none yet), places granted}. Codes: 0 admitted, 1 wait,
--  2 learned, -1 expired.
local function finish(code, wait)
  if #writes > 0 then
    redis.call('HSET', gate, unpack(writes))
    local horizon = math.max(now, closed + tickets * spacing, reset or 0)
    local ttl = int(math.ceil((horizon - now + lease) / 1000))
    redis.call('PEXPIRE', gate, ttl)
    redis.call('PEXPIRE', answers, ttl)
  end
  local r, untilReset = -1, -1
  if known() then
    r = rem
    untilReset = reset - now -- negative within the margin: the budget holds until reset + margin
  end
  return {code, wait, now, r, untilReset, math.max(0, closed - now),
    redis.call('ZCARD', inflight), limit, period, why, closedAt, granted}
end

local function expired()
  return deadline > 0 and now > deadline
end
