-- ARGV[4] reservation id [5] extra units [6] new expiry [7..12] default customer limit and period for meters 0, 1, 2
-- Returns the same fields as reserve.
sweep()
local id, units, expires = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local text = redis.call('HGET', K_HOLDS, id)
if not text then return { '0', '4', '', '', '', '', '', '0', '', '0' } end
local hold = hold_decode(id, text)
local meter = tonumber(hold.meter)
local default_limit, default_period = ARGV[7 + 2 * meter], ARGV[8 + 2 * meter]
if hold.global ~= '' and (not HAS_GLOBAL or redis.call('HEXISTS', G_SHARES, share_field(id)) == 0) then
  return { '0', '4', '', '', '', '', id, num(hold.units), num(hold.expires), '0' }
end

-- The budgets that apply to the hold's scopes now, in the periods it was approved in; the global one only when
-- the hold holds a share of it.
local entries = {}
for _, entry in ipairs(resolve(hold.agent, hold.task, hold.meter, hold.day, hold.week, hold.month, default_limit, default_period)) do
  if hold.global ~= '' or not entry.global then entries[#entries + 1] = entry end
end

for _, entry in ipairs(entries) do
  local left = available(entry)
  if units > left then
    return refusal(entry, left, id, num(hold.units), num(hold.expires))
  end
end

local reserved = hold_on_scopes(hold, units)
for _, entry in ipairs(entries) do
  if entry.global then entry.reserved = counter_add(G_COUNTERS, entry.field, 'r', units) else entry.reserved = reserved[entry.field] end
end
hold.units = hold.units + units
if expires > hold.expires then hold.expires = expires end
hold_save(hold)
if hold.global ~= '' then
  redis.call('HSET', G_SHARES, share_field(id), hold.global .. FIELD .. num(hold.units))
  redis.call('ZADD', G_EXPIRY, hold.expires, share_field(id))
end
return { '1', '0', '', '', '', remaining(entries), id, num(hold.units), num(hold.expires), '0' }
