-- A hash read once and written once: fields read are cached, changes are kept until finish().
local function new_book(key)
  return { key = key, values = {}, initial = {}, puts = {}, put_order = {}, dels = {}, packs = {}, changed_packs = {} }
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
