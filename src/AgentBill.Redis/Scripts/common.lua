-- Shared by every AgentBill script. KEYS and ARGV[1..3] are the same for all of them:
-- KEYS[1] budgets  KEYS[2] counters  KEYS[3] holds  KEYS[4] hold expiries  KEYS[5] memory  KEYS[6] memory expiries
-- KEYS[7] meta, and when ARGV[1] == '1' the global scope's KEYS[8] budgets  KEYS[9] counters  KEYS[10] shares  KEYS[11] share expiries
-- ARGV[1] global keys present  ARGV[2] now (ms)  ARGV[3] customer tag (names this customer's global shares)
-- Ids can hold any character but control characters, so control characters separate fields.
local FIELD, ID, ENTRY, PART = '\31', '\30', '\29', '\28'
local K_BUDGETS, K_COUNTERS, K_HOLDS, K_EXPIRY, K_MEMORY, K_MEMEXP, K_META = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local HAS_GLOBAL = ARGV[1] == '1'
local G_BUDGETS, G_COUNTERS, G_SHARES, G_EXPIRY = KEYS[8], KEYS[9], KEYS[10], KEYS[11]
-- The text goes to commands as it came: a Lua number would be formatted back into a string on every call.
local NOW_TEXT = ARGV[2]
local NOW = tonumber(NOW_TEXT)
local CUSTOMER_TAG = ARGV[3]

local function num(value)
  return string.format('%.0f', value)
end

local function split(text, separator)
  local parts, start = {}, 1
  while true do
    local at = string.find(text, separator, start, true)
    if not at then
      parts[#parts + 1] = string.sub(text, start)
      return parts
    end
    parts[#parts + 1] = string.sub(text, start, at - 1)
    start = at + 1
  end
end

-- A counter is one scope in one period: 'u' used, 'a' highest alert raised, under the counter id (scope field,
-- ENTRY, period name). What a scope's open holds hold is one 'r' part under the scope field alone, whatever period
-- the holds were approved in: every budget of the scope counts it.
local function counter_get(key, id, part)
  return tonumber(redis.call('HGET', key, part .. PART .. id) or '0')
end

-- Totals saturate at 2^53 - 1, the largest integer a Lua number holds exactly (BudgetRules.MaxTotal in C#), and
-- never go below zero: the same answer as the in-memory store. A charge that saturated says so.
local MAX_TOTAL = 9007199254740991
local SATURATED = false

-- Returns the counter's new value: callers keep it instead of reading the counter again.
local function counter_add(key, id, part, amount)
  if amount == 0 then return counter_get(key, id, part) end
  local field = part .. PART .. id
  local value = redis.call('HINCRBY', key, field, amount)
  if value > MAX_TOTAL then
    redis.call('HSET', key, field, '9007199254740991')
    SATURATED = true
    return MAX_TOTAL
  elseif value < 0 then
    redis.call('HSET', key, field, '0')
    return 0
  end
  return value
end

local function budget_field(kind, meter, name)
  if name then
    return kind .. ID .. meter .. ID .. name
  end
  return kind .. ID .. meter
end

local function period_key(period, day, week, month)
  if period == 1 then return day elseif period == 2 then return week elseif period == 3 then return month end
  return 'all'
end

-- A hold: agent, task, meter, units, expiry, sequence, customer-side counter ids of the budgets it holds
-- (PART-separated: a counter id holds ENTRY itself), global counter id, and the day, week and month it was
-- approved in, where its usage is settled.
local function hold_encode(h)
  return table.concat({ h.agent, h.task, h.meter, num(h.units), num(h.expires), num(h.seq), table.concat(h.entries, PART), h.global, h.day, h.week, h.month }, FIELD)
end

local function hold_decode(id, text)
  local f = split(text, FIELD)
  local entries = {}
  if f[7] ~= '' then entries = split(f[7], PART) end
  return { id = id, agent = f[1], task = f[2], meter = f[3], units = tonumber(f[4]), expires = tonumber(f[5]), seq = tonumber(f[6]), entries = entries, global = f[8], day = f[9], week = f[10], month = f[11] }
end

local function hold_save(h)
  redis.call('HSET', K_HOLDS, h.id, hold_encode(h))
  redis.call('ZADD', K_EXPIRY, h.expires, h.id)
end

local function hold_close(h)
  redis.call('HDEL', K_HOLDS, h.id)
  redis.call('ZREM', K_EXPIRY, h.id)
end

-- The global side of a hold lives in the global scope's keys; whichever side removes it first returns its units.
local function share_field(id)
  return CUSTOMER_TAG .. FIELD .. id
end

local function share_release(id)
  if not HAS_GLOBAL then return false end
  local share = redis.call('HGET', G_SHARES, share_field(id))
  if not share then return false end
  local parts = split(share, FIELD)
  counter_add(G_COUNTERS, parts[1], 'r', -tonumber(parts[2]))
  redis.call('HDEL', G_SHARES, share_field(id))
  redis.call('ZREM', G_EXPIRY, share_field(id))
  return true
end

-- The customer-side scopes of a call, by field: customer, agent, and task when there is one.
local function scope_fields(agent, task, meter)
  local fields = { budget_field('c', meter, nil), budget_field('a', meter, agent) }
  if task ~= '' then fields[#fields + 1] = budget_field('t', meter, task) end
  return fields
end

-- Holds (or, negative, gives back) units on every customer-side scope of a hold. Returns each scope's new
-- reserved part by field, for the budgets the caller reports on.
local function hold_on_scopes(h, amount)
  local reserved = {}
  for _, field in ipairs(scope_fields(h.agent, h.task, h.meter)) do
    reserved[field] = counter_add(K_COUNTERS, field, 'r', amount)
  end
  return reserved
end

local function hold_return(h)
  hold_on_scopes(h, -h.units)
  if h.global ~= '' then share_release(h.id) end
  hold_close(h)
end

-- Lazy expiry, inside the same atomic step as the operation: every hold and global share past its time returns
-- its units before any budget is checked. (Remembered answers are swept where they are written: see remember.)
local function sweep()
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', K_EXPIRY, '-inf', NOW_TEXT)) do
    local text = redis.call('HGET', K_HOLDS, id)
    if text then hold_return(hold_decode(id, text)) else redis.call('ZREM', K_EXPIRY, id) end
  end
  if HAS_GLOBAL then
    for _, field in ipairs(redis.call('ZRANGEBYSCORE', G_EXPIRY, '-inf', NOW_TEXT)) do
      local share = redis.call('HGET', G_SHARES, field)
      if share then
        local parts = split(share, FIELD)
        counter_add(G_COUNTERS, parts[1], 'r', -tonumber(parts[2]))
        redis.call('HDEL', G_SHARES, field)
      end
      redis.call('ZREM', G_EXPIRY, field)
    end
  end
end

-- A customer never seen again is never swept: a key expiry a day past the latest window lets the server drop
-- its remembered answers. Only this memory gets one; holds and counters must never vanish behind the ledger.
-- Each time the expiry has to move it moves an hour further than needed, so the two writes that move it come
-- once an hour rather than with every answer.
local MEMORY_BACKSTOP_MS = 86400000
local MEMORY_BACKSTOP_SLACK_MS = 3600000
local memory_swept = false

-- Remembered answers past their window are deleted a bounded number at a time (recall already ignores them),
-- which keeps every script short; only writing an answer can grow the memory, so that is where it is swept.
local function remember(field, value, forget_at_text)
  if not memory_swept then
    memory_swept = true
    for _, old in ipairs(redis.call('ZRANGEBYSCORE', K_MEMEXP, '-inf', NOW_TEXT, 'LIMIT', 0, 256)) do
      redis.call('HDEL', K_MEMORY, old)
      redis.call('ZREM', K_MEMEXP, old)
    end
  end
  redis.call('HSET', K_MEMORY, field, value)
  redis.call('ZADD', K_MEMEXP, forget_at_text, field)
  local ttl = tonumber(forget_at_text) - NOW + MEMORY_BACKSTOP_MS
  if redis.call('PTTL', K_MEMORY) < ttl then
    redis.call('PEXPIRE', K_MEMORY, ttl + MEMORY_BACKSTOP_SLACK_MS)
    redis.call('PEXPIRE', K_MEMEXP, ttl + MEMORY_BACKSTOP_SLACK_MS)
  end
end

-- Returns the remembered answer for a key, 'conflict' for the same key with another request, or nil.
local function recall(field, fingerprint)
  local text = redis.call('HGET', K_MEMORY, field)
  if not text then return nil end
  local forget_at = redis.call('ZSCORE', K_MEMEXP, field)
  if forget_at and tonumber(forget_at) <= NOW then return nil end
  local at = string.find(text, FIELD, 1, true)
  if string.sub(text, 1, at - 1) ~= fingerprint then return 'conflict' end
  return split(string.sub(text, at + 1), FIELD)
end

-- The budget a field names: its limit and period, the call's default for a customer budget, or nil.
local function limit_of(budgets, field, is_customer, default_limit, default_period)
  local text = redis.call('HGET', budgets, field)
  if text then
    local parts = split(text, FIELD)
    return tonumber(parts[1]), tonumber(parts[2])
  end
  if is_customer and default_limit ~= '' then
    return tonumber(default_limit), tonumber(default_period)
  end
  return nil, nil
end

-- The budgets that apply to a call, most specific first: task, agent, customer, global.
local function resolve(agent, task, meter, day, week, month, default_limit, default_period)
  local applicable = {}
  local function add(kind, name, is_customer, global)
    local budgets = global and G_BUDGETS or K_BUDGETS
    local field = budget_field(kind, meter, name)
    local limit, period = limit_of(budgets, field, is_customer, default_limit, default_period)
    if limit then
      local period_name = period_key(period, day, week, month)
      applicable[#applicable + 1] = { kind = kind, name = name or '', meter = meter, limit = limit, field = field, id = field .. ENTRY .. period_name, global = global, period = period_name }
    end
  end
  if task ~= '' then add('t', task, false, false) end
  add('a', agent, false, false)
  add('c', nil, true, false)
  if HAS_GLOBAL then add('g', nil, false, true) end
  return applicable
end

local function counters_of(entry)
  return entry.global and G_COUNTERS or K_COUNTERS
end

-- Reads the period's used part and the scope's reserved part unless the script already holds them (entry.used,
-- entry.reserved: read here, or returned by the HINCRBY that last changed them).
local function available(entry)
  local key = counters_of(entry)
  entry.used = entry.used or counter_get(key, entry.id, 'u')
  entry.reserved = entry.reserved or counter_get(key, entry.field, 'r')
  return entry.limit - entry.used - entry.reserved
end

local function remaining(entries)
  local tightest = nil
  for _, entry in ipairs(entries) do
    if entry.limit then
      local left = math.max(0, available(entry))
      if tightest == nil or left < tightest then tightest = left end
    end
  end
  if tightest == nil then return '' end
  return num(tightest)
end

-- x * y as a (high, low) pair in base 10^7. Lua numbers are doubles: exact up to 2^53, and x * y can pass
-- that (used * 100, limit * 1000 %), but for x < 2^53 and y <= 1000 no step below does. fmod is exact.
local BASE = 10000000
local function product(x, y)
  local x_low = math.fmod(x, BASE)
  local low = x_low * y
  local low_digits = math.fmod(low, BASE)
  return (x - x_low) / BASE * y + (low - low_digits) / BASE, low_digits
end

-- Whether used is at least percent % of limit, decided in integers like the in-memory store does.
local function reached(used, limit, percent)
  if limit == 0 then return used > 0 end
  local used_high, used_low = product(used, 100)
  local limit_high, limit_low = product(limit, percent)
  return used_high > limit_high or (used_high == limit_high and used_low >= limit_low)
end

local function reason_for(entry)
  if entry.kind == 't' then return '3' end
  return '2'
end

-- When the first open hold that can hold this budget returns its units if nobody settles it ('' for none):
-- the customer's earliest hold, or the global scope's earliest share.
local function earliest_expiry(entry)
  local first = redis.call('ZRANGE', entry.global and G_EXPIRY or K_EXPIRY, 0, 0, 'WITHSCORES')
  if first[2] then return first[2] end
  return ''
end

-- A refusal of a reserve or top-up: approved '0', reason, the refusing budget (kind, meter, name), what it has
-- left, the hold (id, units, expiry: empty for a reserve), replay '0', then the budget as it stood (period name,
-- limit, used, reserved, earliest hold expiry). available(entry) has read its used and reserved parts.
local function refusal(entry, left, id, units, expires)
  return { '0', reason_for(entry), entry.kind, entry.meter, entry.name, num(math.max(0, left)), id, units, expires, '0',
    entry.period, num(entry.limit), num(entry.used), num(entry.reserved), earliest_expiry(entry) }
end

-- Usage is metered for every customer-side scope of a call (customer, agent, and task when there is one), budget
-- or not, in the lifetime total and in the day, week and month given: a budget set later sees what its period
-- already spent. Returns the new used part of each counter, by counter id, for the budgets the caller checks.
local LIFETIME = 'all'
local function meter_usage(agent, task, meter, day, week, month, units, global)
  local fields = scope_fields(agent, task, meter)
  local used = {}
  local function add(key, field)
    for _, period in ipairs({ LIFETIME, day, week, month }) do
      local id = field .. ENTRY .. period
      used[id] = counter_add(key, id, 'u', units)
    end
  end
  for _, field in ipairs(fields) do add(K_COUNTERS, field) end
  if global then add(G_COUNTERS, budget_field('g', meter, nil)) end
  return used
end
