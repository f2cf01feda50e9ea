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

-- The field a hold's units sit in on one scope: its packed counters (the lifetime total and the periods that
-- approved it), or the one field of a hold made before holds were kept per period.
local function reserved_field(scope, legacy)
  if legacy then return f_legacy_reserved(scope) end
  return f_packed(scope)
end

-- The fields of a hold's customer-side scopes its units sit in, added to a list to read.
local function hold_reserved_fields(h, fields)
  for _, scope in ipairs(scope_fields(h.agent, h.task, h.meter)) do fields[#fields + 1] = reserved_field(scope, h.legacy) end
  return fields
end

-- Holds (or, negative, gives back) units on one scope of a hold, in the periods that approved it.
local function hold_on(book, scope, h, amount)
  if h.legacy then
    book_add(book, f_legacy_reserved(scope), amount)
  else
    counters_add(book, scope, h.day, h.week, h.month, 0, amount)
  end
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

-- Holds (or, negative, gives back) units of a hold's global share on the global scope's reserved counters, in its periods.
local function share_add(h, amount)
  hold_on(GLOBAL, h.global, h, amount)
end

-- Gives back the units of a share read as stored (share_value).
local function share_return(text)
  local parts = split(text, FIELD)
  share_add({ global = parts[1], day = parts[3], week = parts[4], month = parts[5], legacy = #parts < 5 }, -tonumber(parts[2]))
end

local function share_release(id)
  if not HAS_GLOBAL then return false end
  local field = share_field(id)
  local share = redis.call('HGET', K_GLOBAL_SHARES, field)
  if not share then return false end
  share_return(share)
  redis.call('HDEL', K_GLOBAL_SHARES, field)
  redis.call('ZREM', K_GLOBAL_EXPIRY, field)
  return true
end

-- Holds (or, negative, gives back) units on every customer-side scope of a hold, in the periods that approved it.
local function hold_on_scopes(h, amount)
  book_read(BOOK, hold_reserved_fields(h, {}))
  for _, scope in ipairs(scope_fields(h.agent, h.task, h.meter)) do hold_on(BOOK, scope, h, amount) end
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
local function sweep(limit)
  local due = take_due(BOOK, F_NEXT_SWEEP, K_HOLD_EXPIRY, limit or SWEEP_HOLDS)
  if #due == 0 then return 0 end
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
  return #holds
end

-- The global scope's shares past their time, shared by every customer: a larger bound, in three calls.
local function sweep_global()
  if not HAS_GLOBAL then return end
  local due = take_due(GLOBAL, F_NEXT_SWEEP, K_GLOBAL_EXPIRY, SWEEP_SHARES)
  if #due == 0 then return end
  local shares = redis.call('HMGET', K_GLOBAL_SHARES, unpack(due))
  for i = 1, #due do
    if shares[i] then share_return(shares[i]) end
  end
  redis.call('HDEL', K_GLOBAL_SHARES, unpack(due))
end
