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
      if book == BOOK then used_fields[#used_fields + 1] = f_packed(scope) end
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
      book_read(GLOBAL, { f_packed(entry.scope) })
    end
  end
  if #used_fields > 0 then book_read(BOOK, used_fields) end
  return applicable
end

-- What a budget can still hold: its limit less its period's usage and what the open holds its period approved hold.
local function available(entry)
  entry.used, entry.reserved = counter_of(entry.book, entry.scope, entry.period)
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
-- already spent. A scope's four counters are one packed field (counters.lua), written with the rest in finish().
local function meter_usage(agent, task, meter, day, week, month, units, global)
  local scopes = scope_fields(agent, task, meter)
  local fields = {}
  for i, scope in ipairs(scopes) do fields[i] = f_packed(scope) end
  book_read(BOOK, fields)
  for _, scope in ipairs(scopes) do counters_add(BOOK, scope, day, week, month, units, 0) end
  if global and HAS_GLOBAL then counters_add(GLOBAL, budget_field('g', meter, nil), day, week, month, units, 0) end
end
