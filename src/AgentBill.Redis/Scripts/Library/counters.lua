-- A scope's usage counters in one field: 'P', PART, scope holds the day, week and month it counts in, then used and
-- reserved for the lifetime total, that day, that week and that month ('<day>FIELD<week>FIELD<month>FIELD<used all>
-- FIELD<reserved all>FIELD<used day>...'), so a call reads, parses, changes and writes one value per scope instead of
-- eight fields. Any other period of the scope keeps its own fields (f_used, f_reserved of scope ENTRY period): a
-- period the value rolled out of is written there once, when the scope first counts in a newer one, so reports and
-- usage of past periods still read it; fields written before this layout (or by an earlier version running beside
-- this one) stay read there until the scope next rolls a period (pack_roll), which folds them into the value and
-- removes them in the same write.
local function f_packed(scope) return 'P' .. PART .. scope end

-- Slots of a packed value: 1 the lifetime total, 2 the day, 3 the week, 4 the month. A scope never written in this
-- layout has no period in any slot (so even its lifetime total is read from the fields before it) until its first
-- change rolls every slot in.
local function pack_read(book, scope)
  local pack = book.packs[scope]
  if pack then return pack end
  local text = book_get(book, f_packed(scope))
  if text then
    local f = split(text, FIELD)
    pack = { names = { LIFETIME, f[1], f[2], f[3] }, used = { tonumber(f[4]), tonumber(f[6]), tonumber(f[8]), tonumber(f[10]) },
      reserved = { tonumber(f[5]), tonumber(f[7]), tonumber(f[9]), tonumber(f[11]) } }
  else
    local none = ''
    pack = { names = { none, none, none, none }, used = { 0, 0, 0, 0 }, reserved = { 0, 0, 0, 0 } }
  end
  book.packs[scope] = pack
  return pack
end

-- A counter's settled usage and held units: from the scope's packed value when it holds the period, else from the
-- period's own fields.
local function counter_of(book, scope, period)
  local pack = pack_read(book, scope)
  for slot = 1, 4 do
    if pack.names[slot] == period then return pack.used[slot], pack.reserved[slot] end
  end
  local id = scope .. ENTRY .. period
  return book_num(book, f_used(id)), book_num(book, f_reserved(id))
end

local function clamp(value)
  if value > MAX_TOTAL then
    SATURATED = true
    return MAX_TOTAL
  end
  if value < 0 then return 0 end
  return value
end

-- Moves the slots to the periods given: what a slot held is added to its old period's own fields; then the own
-- fields of every period the value now holds (written before this layout, or by an earlier version of the library
-- running beside this one during a deployment) are folded in and removed. Runs when a scope first counts in a new
-- day (or week, or month), so such fields are folded within a day of the scope's next activity.
local function pack_roll(book, scope, pack, periods)
  local names, used, reserved = pack.names, pack.used, pack.reserved
  local fields = {}
  for slot = 1, 4 do
    local old = names[slot]
    if old ~= periods[slot] and old ~= '' then
      local id = scope .. ENTRY .. old
      if used[slot] > 0 then book_put(book, f_used(id), num(clamp(book_num(book, f_used(id)) + used[slot]))) end
      if reserved[slot] > 0 then book_put(book, f_reserved(id), num(clamp(book_num(book, f_reserved(id)) + reserved[slot]))) end
      used[slot], reserved[slot] = 0, 0
    end
    names[slot] = periods[slot]
    local id = scope .. ENTRY .. names[slot]
    fields[#fields + 1] = f_used(id)
    fields[#fields + 1] = f_reserved(id)
  end
  book_read(book, fields)
  for slot = 1, 4 do
    used[slot] = clamp(used[slot] + book_num(book, fields[2 * slot - 1]))
    reserved[slot] = clamp(reserved[slot] + book_num(book, fields[2 * slot]))
    book_del(book, fields[2 * slot - 1])
    book_del(book, fields[2 * slot])
  end
end

local function pack_changed(book, scope, pack)
  if pack.changed then return end
  pack.changed = true
  book.changed_packs[#book.changed_packs + 1] = scope
end

-- Adds used and held units to a scope's lifetime total and the day, week and month given, saturating at MAX_TOTAL
-- and never below zero.
local function counters_add(book, scope, day, week, month, used, reserved)
  if used == 0 and reserved == 0 then return end
  local pack = pack_read(book, scope)
  local names = pack.names
  if names[1] ~= LIFETIME or names[2] ~= day or names[3] ~= week or names[4] ~= month then
    pack_roll(book, scope, pack, { LIFETIME, day, week, month })
  end
  for slot = 1, 4 do
    if used ~= 0 then pack.used[slot] = clamp(pack.used[slot] + used) end
    if reserved ~= 0 then pack.reserved[slot] = clamp(pack.reserved[slot] + reserved) end
  end
  pack_changed(book, scope, pack)
end

-- Resets a counter's settled usage (admin): in the packed value when it holds the period, else in its own field.
local function counter_reset(book, counter)
  local at = string.find(counter, ENTRY, 1, true)
  local scope, period = string.sub(counter, 1, at - 1), string.sub(counter, at + 1)
  local pack = pack_read(book, scope)
  for slot = 1, 4 do
    if pack.names[slot] == period then
      pack.used[slot] = 0
      pack_changed(book, scope, pack)
      -- Usage an earlier version counted beside this one is reset too, not folded in later.
      book_del(book, f_used(counter))
      return
    end
  end
  book_put(book, f_used(counter), '0')
end

local function count_text(value)
  if value == 0 then return '0' end
  return num(value)
end

-- Puts every changed packed value among the book's changes.
local function packs_put(book)
  for _, scope in ipairs(book.changed_packs) do
    local p = book.packs[scope]
    local u, r = p.used, p.reserved
    book_put(book, f_packed(scope), table.concat({ p.names[2], p.names[3], p.names[4], count_text(u[1]), count_text(r[1]),
      count_text(u[2]), count_text(r[2]), count_text(u[3]), count_text(r[3]), count_text(u[4]), count_text(r[4]) }, FIELD))
    p.changed = nil
  end
  book.changed_packs = {}
end
