-- A scope's usage counters in one field: 'P', PART, scope holds the day, week and month it counts in, then used and
-- reserved for the lifetime total, that day, that week and that month ('<day>FIELD<week>FIELD<month>FIELD<used all>
-- FIELD<reserved all>FIELD<used day>...'), so a call reads, parses, changes and writes one value per scope instead of
-- eight fields. Any other period of the scope keeps its own fields (f_used, f_reserved of scope ENTRY period): a
-- period the value rolled out of is written there once, when the scope first counts in a newer one, so reports and
-- usage of past periods still read it; fields written before this layout stay read there until their period is
-- counted in again, when they are folded into the value and removed in the same write.
local function f_packed(scope) return 'P' .. PART .. scope end

-- Slots of a packed value: 1 the lifetime total, 2 the day, 3 the week, 4 the month.
local function pack_read(book, scope)
  local pack = book.packs[scope]
  if pack then return pack end
  local text = book_get(book, f_packed(scope))
  if text then
    local f = split(text, FIELD)
    pack = { names = { LIFETIME, f[1], f[2], f[3] }, used = { tonumber(f[4]), tonumber(f[6]), tonumber(f[8]), tonumber(f[10]) },
      reserved = { tonumber(f[5]), tonumber(f[7]), tonumber(f[9]), tonumber(f[11]) } }
  else
    -- Never written in this layout: the lifetime total from the fields before it (if any), no period yet.
    local all = scope .. ENTRY .. LIFETIME
    book_read(book, { f_used(all), f_reserved(all) })
    pack = { names = { LIFETIME, '', '', '' }, used = { book_num(book, f_used(all)), 0, 0, 0 },
      reserved = { book_num(book, f_reserved(all)), 0, 0, 0 }, before = all }
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

-- Moves a slot to another period: what it held is written to its period's own fields (added to whatever is there),
-- and the new period's own fields, if any, are folded in and removed.
local function pack_roll(book, scope, pack, slot, period)
  local old = pack.names[slot]
  if old ~= '' then
    local id = scope .. ENTRY .. old
    if pack.used[slot] > 0 then book_put(book, f_used(id), num(clamp(book_num(book, f_used(id)) + pack.used[slot]))) end
    if pack.reserved[slot] > 0 then book_put(book, f_reserved(id), num(clamp(book_num(book, f_reserved(id)) + pack.reserved[slot]))) end
  end
  local id = scope .. ENTRY .. period
  book_read(book, { f_used(id), f_reserved(id) })
  pack.used[slot], pack.reserved[slot] = book_num(book, f_used(id)), book_num(book, f_reserved(id))
  book_del(book, f_used(id))
  book_del(book, f_reserved(id))
  pack.names[slot] = period
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
  if names[2] ~= day then pack_roll(book, scope, pack, 2, day) end
  if names[3] ~= week then pack_roll(book, scope, pack, 3, week) end
  if names[4] ~= month then pack_roll(book, scope, pack, 4, month) end
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
      return
    end
  end
  book_put(book, f_used(counter), '0')
end

local function count_text(value)
  if value == 0 then return '0' end
  return num(value)
end

-- Puts every changed packed value among the book's changes (and removes the fields a value replaced).
local function packs_put(book)
  for _, scope in ipairs(book.changed_packs) do
    local p = book.packs[scope]
    local u, r = p.used, p.reserved
    book_put(book, f_packed(scope), table.concat({ p.names[2], p.names[3], p.names[4], count_text(u[1]), count_text(r[1]),
      count_text(u[2]), count_text(r[2]), count_text(u[3]), count_text(r[3]), count_text(u[4]), count_text(r[4]) }, FIELD))
    if p.before then
      book_del(book, f_used(p.before))
      book_del(book, f_reserved(p.before))
      p.before = nil
    end
    p.changed = nil
  end
  book.changed_packs = {}
end
