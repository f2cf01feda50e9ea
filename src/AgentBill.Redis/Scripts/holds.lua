-- Lists one page of a customer's open holds, after the sweep: the holds whose index entries follow the cursor,
-- at most the limit. Replies HoldsReply: the next cursor ('' when no hold follows), then HoldReply per hold.
local stop = guard()
if stop then return stop end
local limit = tonumber(ARGV[ARG_LIMIT])
book_read(BOOK, bookkeeping({}))
sweep()
local from = '-'
if ARGV[ARG_AFTER] ~= '' then from = '(' .. ARGV[ARG_AFTER] end
local entries = redis.call('ZRANGEBYLEX', K_HOLD_INDEX, from, '+', 'LIMIT', 0, limit)
local out = reply(OUT_NEXT, {})
if #entries == limit then out[OUT_NEXT] = entries[#entries] end
local ids, fields = {}, {}
for i, entry in ipairs(entries) do
  local parts = split(entry, FIELD)
  ids[i] = parts[5]
  fields[i] = f_hold(parts[5])
end
book_read(BOOK, fields)
for _, id in ipairs(ids) do
  local hold = hold_read(id)
  if hold then
    local at = #out + 1
    out[at + HOLD_ID], out[at + HOLD_AGENT], out[at + HOLD_TASK], out[at + HOLD_METER] = hold.id, hold.agent, hold.task, hold.meter
    out[at + HOLD_UNITS], out[at + HOLD_EXPIRES_AT] = num(hold.units), num(hold.expires)
  end
end
finish(nil)
return out
