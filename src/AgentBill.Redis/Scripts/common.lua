-- The library every AgentBill function shares. It is loaded once per server (FUNCTION LOAD, see LedgerLibrary in
-- C#), so the functions below are made once, not on every call as a script's would be; each call starts with
-- begin(), which binds the call's keys and arguments and a fresh state. Positions (K_*, ARG_*, OUT_*) are replaced
-- by their numbers from AgentBill.Redis.Wire when the library is built. Every function runs guard() next: the loss
-- marker, then the clock. A function reads what it needs of the customer's hash in as few HMGETs as it can
-- (book_read), changes fields in memory (book_put, book_del) and writes them all with one HSET and one HDEL at the
-- end (finish). Ids can hold any character but control characters, so control characters separate the parts of
-- field names and values.
local FIELD, ID, ENTRY, PART = '\31', '\30', '\29', '\28'

-- The state of the call being run: set by begin(), never carried from one call to the next. DAY, WEEK and MONTH are
-- the periods the call counts in, picked by guard() among the client's candidates.
local KEYS, ARGV, HAS_GLOBAL, CUSTOMER_TAG, NOW, NOW_TEXT, SATURATED, BOOK, GLOBAL
local DAY, WEEK, MONTH

-- Totals saturate at 2^53 - 1, the largest integer a Lua number holds exactly (BudgetRules.MaxTotal in C#), and
-- never go below zero: the same answer as the in-memory store. A charge that saturated says so.
local MAX_TOTAL = 9007199254740991

-- Work per call is bounded whatever a customer holds: at most this many expired holds, global shares or forgotten
-- answers are removed by one script; the rest go with the next calls, and until then only ever count as held.
local SWEEP_HOLDS, SWEEP_SHARES, SWEEP_ANSWERS = 256, 1024, 256

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

-- The marker holds the ledger's epoch, '<generation>:<random>' ('<generation>:lost' once a loss was seen). A
-- marker that is gone where this client saw one, or that holds an epoch no newer than the client's but not its
-- own, means the data behind it was lost (a restart without persistence, a flush, a failover to an empty replica):
-- the marker becomes 'lost' so that every client refuses until an operator acknowledges (which writes a newer
-- epoch everywhere). A newer epoch than the client's is one an operator wrote: the client reads it and retries.
local function generation(epoch)
  return tonumber(string.sub(epoch, 1, string.find(epoch, ':', 1, true) - 1))
end

-- A period kind's candidates from the client, 'previous<FIELD>current<FIELD>next<FIELD>start<FIELD>end' (the
-- current one's bounds in Unix ms): the one the ledger's now falls in. So the period a call counts in is decided by
-- the deciding clock (the server's), however long the request waited in a queue on its way.
local function pick(candidates)
  local c = split(candidates, FIELD)
  if NOW < tonumber(c[4]) then return c[1] elseif NOW < tonumber(c[5]) then return c[2] end
  return c[3]
end

-- The loss marker, then the clock; day, week and month are the candidates of a call that counts in periods. Under
-- the server's clock, a client time AHEAD of the server's by more than the bound is refused: a request is always
-- run after it was sent, so no queueing explains it, and nothing is done yet. A client time behind cannot be told
-- from a request that waited (a stalled server, a slow fsync, a long script ahead of it), so it is never refused
-- here: the client measures that itself from the server's time every reply ends with (stamped).
local function guard(day, week, month)
  local epoch = ARGV[ARG_EPOCH]
  local marker = redis.call('GET', K_MARKER)
  if marker ~= epoch then
    if not marker and ARGV[ARG_SEEN] ~= '1' then
      redis.call('SET', K_MARKER, epoch)
    elseif marker and generation(marker) > generation(epoch) then
      return { 'stale' }
    else
      redis.call('SET', K_MARKER, generation(epoch) .. ':lost')
      return { 'lost' }
    end
  end
  local client = tonumber(ARGV[ARG_CLIENT_NOW])
  if ARGV[ARG_SERVER_CLOCK] == '1' then
    local time = redis.call('TIME')
    NOW = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
    NOW_TEXT = num(NOW)
    if client - NOW > tonumber(ARGV[ARG_MAX_SKEW]) then return { 'skew', NOW_TEXT } end
  else
    NOW, NOW_TEXT = client, ARGV[ARG_CLIENT_NOW]
  end
  if day then DAY, WEEK, MONTH = pick(day), pick(week), pick(month) end
  return nil
end

-- Every reply (but an error) ends with the ledger's now of the call ('' when the guard stopped it before reading
-- it): the client compares it with its own clock when the reply arrives.
local function stamped(reply)
  if type(reply) == 'table' and reply.err == nil and reply.ok == nil then reply[#reply + 1] = NOW_TEXT or '' end
  return reply
end

-- A hash read once and written once: fields read are cached, changes are kept until finish().
local function new_book(key)
  return { key = key, values = {}, initial = {}, puts = {}, put_order = {}, dels = {} }
end

-- Every call starts here: its keys and arguments, and nothing left from the call before.
local function begin(keys, argv)
  KEYS, ARGV = keys, argv
  HAS_GLOBAL = ARGV[ARG_HAS_GLOBAL] == '1'
  CUSTOMER_TAG = ARGV[ARG_TAG]
  NOW, NOW_TEXT, SATURATED = nil, nil, false
  DAY, WEEK, MONTH = nil, nil, nil
  BOOK = new_book(K_BOOK)
  GLOBAL = HAS_GLOBAL and new_book(K_GLOBAL_BOOK) or nil
end

-- Reads every field not read yet in one HMGET.
local function book_read(book, fields)
  local missing = {}
  for _, field in ipairs(fields) do
    if book.values[field] == nil then missing[#missing + 1] = field end
  end
  if #missing == 0 then return end
  local values = redis.call('HMGET', book.key, unpack(missing))
  for i, field in ipairs(missing) do
    book.values[field] = values[i]
    book.initial[field] = values[i]
  end
end

-- A field's value (false when absent); read on its own when no book_read fetched it.
local function book_get(book, field)
  local value = book.values[field]
  if value == nil then
    value = redis.call('HGET', book.key, field)
    book.values[field] = value
    book.initial[field] = value
  end
  return value
end

local function book_num(book, field)
  return tonumber(book_get(book, field) or '0')
end

local function book_put(book, field, value)
  if book.puts[field] == nil then book.put_order[#book.put_order + 1] = field end
  book.puts[field] = value
  book.values[field] = value
  book.dels[field] = nil
end

local function book_del(book, field)
  if book.values[field] == false then return end
  book.dels[field] = true
  book.values[field] = false
  if book.puts[field] ~= nil then book.puts[field] = false end
end

local function book_flush(book)
  local args = {}
  for _, field in ipairs(book.put_order) do
    local value = book.puts[field]
    if value then
      args[#args + 1] = field
      args[#args + 1] = value
    end
  end
  if #args > 0 then redis.call('HSET', book.key, unpack(args)) end
  local dels = {}
  for field in pairs(book.dels) do dels[#dels + 1] = field end
  if #dels > 0 then redis.call('HDEL', book.key, unpack(dels)) end
end

-- Field names of the customer's hash. Bookkeeping fields start with '#'; every other name is a kind letter, PART,
-- then ids. A scope field is kind, meter and, for agents and tasks, the name (RedisKeys.BudgetField in C#).
local F_HOLDS, F_SEQUENCE, F_NEXT_SWEEP, F_NEXT_FORGET, F_DEADLINE, F_BUDGETS, F_ANSWERS = '#n', '#s', '#e', '#f', '#d', '#b', '#k'
local PERSISTENT, NONE = 'p', 'none'

local function budget_field(kind, meter, name)
  if name then return kind .. ID .. meter .. ID .. name end
  return kind .. ID .. meter
end

local function f_budget(scope) return 'B' .. PART .. scope end
local function f_used(counter) return 'u' .. PART .. counter end
-- What open holds hold is kept per period like usage (a counter id: scope, ENTRY, period name): a hold counts in the
-- lifetime total and in the day, week and month that approved it, so a new period's budget sees only its own holds.
local function f_reserved(counter) return 'r' .. PART .. counter end
-- Before holds were kept per period, one field per scope held them all; a hold made then gives its units back there.
local function f_legacy_reserved(scope) return 'r' .. PART .. scope end
local function f_alerted(counter) return 'a' .. PART .. counter end
local function f_hold(id) return 'h' .. PART .. id end
local function f_memory(name) return 'm' .. PART .. name end

local LIFETIME = 'all'

local function period_key(period, day, week, month)
  if period == 1 then return day elseif period == 2 then return week elseif period == 3 then return month end
  return 'all'
end

-- Adds to a counter field, saturating at MAX_TOTAL and never below zero; returns the new value.
local function book_add(book, field, amount)
  local value = book_num(book, field)
  if amount == 0 then return value end
  value = value + amount
  if value > MAX_TOTAL then
    value = MAX_TOTAL
    SATURATED = true
  elseif value < 0 then
    value = 0
  end
  book_put(book, field, num(value))
  return value
end

-- The customer-side scopes of a call, by field: customer, agent, and task when there is one.
local function scope_fields(agent, task, meter)
  local fields = { budget_field('c', meter, nil), budget_field('a', meter, agent) }
  if task ~= '' then fields[#fields + 1] = budget_field('t', meter, task) end
  return fields
end

-- A hold: agent, task, meter, units, expiry, sequence, the global scope field it holds a share of (''), the day,
-- week and month it was approved in, where its units are held and its usage is settled, and PER_PERIOD_HOLD (absent
-- for a hold made before holds were kept per period). Its index entry orders it among the holds
-- of its agent, task and meter by sequence, so the oldest of one kind is the first entry past their prefix.
local PER_PERIOD_HOLD = '2'

local function hold_encode(h)
  return table.concat({ h.agent, h.task, h.meter, num(h.units), num(h.expires), num(h.seq), h.global, h.day, h.week, h.month, h.legacy and '' or PER_PERIOD_HOLD }, FIELD)
end

local function hold_decode(id, text)
  local f = split(text, FIELD)
  return { id = id, agent = f[1], task = f[2], meter = f[3], units = tonumber(f[4]), expires = tonumber(f[5]), seq = tonumber(f[6]), global = f[7], day = f[8], week = f[9], month = f[10], legacy = f[11] ~= PER_PERIOD_HOLD }
end

-- The reserved counters a hold's units sit in on one scope: the lifetime total and the periods that approved it.
local function reserved_fields(scope, day, week, month, legacy, fields)
  if legacy then
    fields[#fields + 1] = f_legacy_reserved(scope)
    return fields
  end
  for _, period in ipairs({ LIFETIME, day, week, month }) do fields[#fields + 1] = f_reserved(scope .. ENTRY .. period) end
  return fields
end

-- Every reserved counter of a hold's customer-side scopes.
local function hold_reserved_fields(h, fields)
  for _, scope in ipairs(scope_fields(h.agent, h.task, h.meter)) do reserved_fields(scope, h.day, h.week, h.month, h.legacy, fields) end
  return fields
end

local function index_prefix(agent, task, meter)
  return agent .. FIELD .. task .. FIELD .. meter .. FIELD
end

local function index_entry(h)
  return index_prefix(h.agent, h.task, h.meter) .. string.format('%016.0f', h.seq) .. FIELD .. h.id
end

local function hold_read(id)
  local text = book_get(BOOK, f_hold(id))
  if not text then return nil end
  return hold_decode(id, text)
end

-- The earliest time an entry of an expiry index may be due is kept as a lower bound: a sweep runs only once it is.
local function lower_next(book, field, at)
  local next_sweep = book_get(book, field)
  if not next_sweep or next_sweep == NONE or at < tonumber(next_sweep) then book_put(book, field, num(at)) end
end

local function hold_save(h)
  book_put(BOOK, f_hold(h.id), hold_encode(h))
  redis.call('ZADD', K_HOLD_EXPIRY, num(h.expires), h.id)
  lower_next(BOOK, F_NEXT_SWEEP, h.expires)
end

-- The global side of a hold lives in the global scope's keys; whichever side removes it first returns its units.
local function share_field(id)
  return CUSTOMER_TAG .. FIELD .. id
end

-- A share is '<global scope field><FIELD><units><FIELD><day><FIELD><week><FIELD><month>', the periods of its hold
-- (a share made before holds were kept per period has only the first two parts).
local function share_value(h)
  if h.legacy then return h.global .. FIELD .. num(h.units) end
  return table.concat({ h.global, num(h.units), h.day, h.week, h.month }, FIELD)
end

-- Holds (or, negative, gives back) units of a share on the global scope's reserved counters.
local function share_hold(text, amount)
  local parts = split(text, FIELD)
  for _, field in ipairs(reserved_fields(parts[1], parts[3], parts[4], parts[5], #parts < 5, {})) do
    book_add(GLOBAL, field, amount or -tonumber(parts[2]))
  end
end

local function share_release(id)
  if not HAS_GLOBAL then return false end
  local field = share_field(id)
  local share = redis.call('HGET', K_GLOBAL_SHARES, field)
  if not share then return false end
  share_hold(share, nil)
  redis.call('HDEL', K_GLOBAL_SHARES, field)
  redis.call('ZREM', K_GLOBAL_EXPIRY, field)
  return true
end

-- Holds (or, negative, gives back) units on every customer-side scope of a hold, in the periods that approved it.
local function hold_on_scopes(h, amount)
  local fields = hold_reserved_fields(h, {})
  book_read(BOOK, fields)
  for _, field in ipairs(fields) do book_add(BOOK, field, amount) end
end

-- Removes a hold's record and index entry (its expiry entry too unless the sweep removes it in bulk).
local function hold_close(h, in_expiry)
  book_del(BOOK, f_hold(h.id))
  redis.call('ZREM', K_HOLD_INDEX, index_entry(h))
  if in_expiry then redis.call('ZREM', K_HOLD_EXPIRY, h.id) end
  book_add(BOOK, F_HOLDS, -1)
end

local function hold_return(h, in_expiry)
  hold_on_scopes(h, -h.units)
  if h.global ~= '' then share_release(h.id) end
  hold_close(h, in_expiry)
end

-- Removes up to limit entries due by now from an expiry index, and returns them; moves the book's next sweep to
-- the first entry left (now, when the limit was reached: more may be due).
local function take_due(book, field, index, limit)
  local next_sweep = book_get(book, field)
  if next_sweep == NONE or (next_sweep and tonumber(next_sweep) > NOW) then return {} end
  local due = redis.call('ZRANGEBYSCORE', index, '-inf', NOW_TEXT, 'LIMIT', 0, limit)
  if #due > 0 then redis.call('ZREMRANGEBYRANK', index, 0, #due - 1) end
  if #due == limit then
    book_put(book, field, NOW_TEXT)
  else
    local first = redis.call('ZRANGE', index, 0, 0, 'WITHSCORES')
    if first[2] then book_put(book, field, first[2]) else book_put(book, field, NONE) end
  end
  return due
end

-- Lazy expiry, inside the same atomic step as the operation: holds past their time return their units before any
-- budget is checked, a bounded number per call, read and removed in a few calls whatever their number.
local function sweep()
  local due = take_due(BOOK, F_NEXT_SWEEP, K_HOLD_EXPIRY, SWEEP_HOLDS)
  if #due == 0 then return end
  local fields = {}
  for i, id in ipairs(due) do fields[i] = f_hold(id) end
  book_read(BOOK, fields)
  local holds, reserved = {}, {}
  for _, id in ipairs(due) do
    local h = hold_read(id)
    if h then
      holds[#holds + 1] = h
      hold_reserved_fields(h, reserved)
    end
  end
  book_read(BOOK, reserved)
  local entries = {}
  for _, h in ipairs(holds) do
    hold_on_scopes(h, -h.units)
    if h.global ~= '' then share_release(h.id) end
    book_del(BOOK, f_hold(h.id))
    book_add(BOOK, F_HOLDS, -1)
    entries[#entries + 1] = index_entry(h)
  end
  if #entries > 0 then redis.call('ZREM', K_HOLD_INDEX, unpack(entries)) end
end

-- The global scope's shares past their time, shared by every customer: a larger bound, in three calls.
local function sweep_global()
  if not HAS_GLOBAL then return end
  local due = take_due(GLOBAL, F_NEXT_SWEEP, K_GLOBAL_EXPIRY, SWEEP_SHARES)
  if #due == 0 then return end
  local shares = redis.call('HMGET', K_GLOBAL_SHARES, unpack(due))
  for i = 1, #due do
    if shares[i] then share_hold(shares[i], nil) end
  end
  redis.call('HDEL', K_GLOBAL_SHARES, unpack(due))
end

-- Remembered answers live in the customer's hash, '<forget at><FIELD><fingerprint><FIELD><answer>', so a replay
-- is read by the same HMGET as everything else; an answer past its time is ignored at once and removed, a bounded
-- number per call, when an answer is written (only writing one can grow the memory).
local function remember(name, value, window)
  if tonumber(window) <= 0 then return end
  local field = f_memory(name)
  local forget_at = NOW + tonumber(window)
  local forgotten = take_due(BOOK, F_NEXT_FORGET, K_MEMORY_EXPIRY, SWEEP_ANSWERS)
  if #forgotten > 0 then
    book_read(BOOK, forgotten)
    for _, old in ipairs(forgotten) do
      if book_get(BOOK, old) then
        book_del(BOOK, old)
        book_add(BOOK, F_ANSWERS, -1)
      end
    end
  end
  if not book_get(BOOK, field) then book_add(BOOK, F_ANSWERS, 1) end
  book_put(BOOK, field, num(forget_at) .. FIELD .. value)
  redis.call('ZADD', K_MEMORY_EXPIRY, num(forget_at), field)
  lower_next(BOOK, F_NEXT_FORGET, forget_at)
end

-- Returns the remembered answer (a list of fields) for a name, 'conflict' for the same name with another
-- request, or nil. book_read must have read the field, or it is read here.
local function recall(name, fingerprint)
  local text = book_get(BOOK, f_memory(name))
  if not text then return nil end
  local first = string.find(text, FIELD, 1, true)
  if tonumber(string.sub(text, 1, first - 1)) <= NOW then return nil end
  local second = string.find(text, FIELD, first + 1, true)
  if string.sub(text, first + 1, second - 1) ~= fingerprint then return 'conflict' end
  return split(string.sub(text, second + 1), FIELD)
end

-- Adds the bookkeeping fields every writing script reads (finish needs them) to a list of fields to read.
local function bookkeeping(fields)
  for _, field in ipairs({ F_HOLDS, F_SEQUENCE, F_NEXT_SWEEP, F_NEXT_FORGET, F_DEADLINE, F_ANSWERS }) do fields[#fields + 1] = field end
  return fields
end

-- The budget fields of a call's scopes (most specific first: task, agent, customer, global) and the bookkeeping
-- fields every writing script needs, to be read in one HMGET with whatever else the script needs.
local function scope_reads(agent, task, meter, fields)
  for _, scope in ipairs(scope_fields(agent, task, meter)) do
    fields[#fields + 1] = f_budget(scope)
  end
  return bookkeeping(fields)
end

-- The budgets that apply to a call, most specific first: task, agent, customer, global. Reads their settled
-- usage and held units in their periods in one more HMGET (the global one's with the global hash).
local function resolve(agent, task, meter, day, week, month, default_limit, default_period, with_global)
  local applicable = {}
  local used_fields = {}
  local function add(book, kind, name, is_customer)
    local scope = budget_field(kind, meter, name)
    local text = book_get(book, f_budget(scope))
    local limit, period
    if text then
      local parts = split(text, FIELD)
      limit, period = tonumber(parts[1]), tonumber(parts[2])
    elseif is_customer and default_limit ~= '' then
      limit, period = tonumber(default_limit), tonumber(default_period)
    end
    if limit then
      local period_name = period_key(period, day, week, month)
      local entry = { book = book, kind = kind, name = name or '', meter = meter, limit = limit, scope = scope, id = scope .. ENTRY .. period_name, global = book == GLOBAL, period = period_name }
      applicable[#applicable + 1] = entry
      if book == BOOK then
        used_fields[#used_fields + 1] = f_used(entry.id)
        used_fields[#used_fields + 1] = f_reserved(entry.id)
      end
    end
  end
  if task ~= '' then add(BOOK, 't', task, false) end
  add(BOOK, 'a', agent, false)
  add(BOOK, 'c', nil, true)
  if with_global and HAS_GLOBAL then
    local scope = budget_field('g', meter, nil)
    book_read(GLOBAL, { f_budget(scope), F_NEXT_SWEEP })
    -- Shares matter only to a global budget: without one, nothing of the global scope is read or written.
    if book_get(GLOBAL, f_budget(scope)) then
      sweep_global()
      add(GLOBAL, 'g', nil, false)
      local entry = applicable[#applicable]
      book_read(GLOBAL, { f_used(entry.id), f_reserved(entry.id) })
    end
  end
  if #used_fields > 0 then book_read(BOOK, used_fields) end
  return applicable
end

-- What a budget can still hold: its limit less its period's usage and what the open holds its period approved hold.
local function available(entry)
  entry.used = book_num(entry.book, f_used(entry.id))
  entry.reserved = book_num(entry.book, f_reserved(entry.id))
  return entry.limit - entry.used - entry.reserved
end

local function remaining(entries)
  local tightest = nil
  for _, entry in ipairs(entries) do
    local left = math.max(0, available(entry))
    if tightest == nil or left < tightest then tightest = left end
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

-- Usage is metered for every customer-side scope of a call (customer, agent, and task when there is one), budget
-- or not, in the lifetime total and in the day, week and month given: a budget set later sees what its period
-- already spent. All twelve counters are read in one HMGET and written with the rest in finish().
local function meter_usage(agent, task, meter, day, week, month, units, global)
  local counters = {}
  local function collect(book, scope)
    for _, period in ipairs({ LIFETIME, day, week, month }) do
      counters[#counters + 1] = { book = book, field = f_used(scope .. ENTRY .. period) }
    end
  end
  for _, scope in ipairs(scope_fields(agent, task, meter)) do collect(BOOK, scope) end
  if global and HAS_GLOBAL then collect(GLOBAL, budget_field('g', meter, nil)) end
  local fields = { [BOOK] = {} }
  if GLOBAL then fields[GLOBAL] = {} end
  for _, counter in ipairs(counters) do
    local list = fields[counter.book]
    list[#list + 1] = counter.field
  end
  for book, list in pairs(fields) do book_read(book, list) end
  for _, counter in ipairs(counters) do book_add(counter.book, counter.field, units) end
end

-- Writes every change, then keeps the customer's keys alive: a customer with a budget keeps them for good; any
-- other customer's expire RETENTION after its last activity (or its latest hold or answer, if later), moved a day
-- further than needed each time so the expiries are written about once a day rather than with every call.
local DAY_MS = 86400000
local function finish(latest)
  -- A script that changed nothing of the customer's (a read of a customer never seen) creates nothing.
  if #BOOK.put_order == 0 and next(BOOK.dels) == nil then
    if GLOBAL then book_flush(GLOBAL) end
    return
  end
  local holds_before = tonumber(BOOK.initial[F_HOLDS] or '0')
  local answers_before = tonumber(BOOK.initial[F_ANSWERS] or '0')
  local deadline = book_get(BOOK, F_DEADLINE)
  local refresh = false
  if deadline ~= PERSISTENT then
    local wanted = math.max(NOW, latest or 0) + tonumber(ARGV[ARG_RETENTION])
    if not deadline or tonumber(deadline) < wanted then
      deadline = num(wanted + DAY_MS)
      book_put(BOOK, F_DEADLINE, deadline)
      refresh = true
    end
  end
  book_flush(BOOK)
  if GLOBAL then book_flush(GLOBAL) end
  if deadline == PERSISTENT then return end
  local holds_now = book_num(BOOK, F_HOLDS)
  local answers_now = book_num(BOOK, F_ANSWERS)
  -- Relative to the ledger's now, so a test's fake clock and the server's own agree on how long is left.
  local ttl = tonumber(deadline) - NOW
  if refresh then redis.call('PEXPIRE', K_BOOK, ttl) end
  if refresh or (holds_before == 0 and holds_now > 0) then
    redis.call('PEXPIRE', K_HOLD_EXPIRY, ttl)
    redis.call('PEXPIRE', K_HOLD_INDEX, ttl)
  end
  if refresh or (answers_before == 0 and answers_now > 0) then redis.call('PEXPIRE', K_MEMORY_EXPIRY, ttl) end
end
