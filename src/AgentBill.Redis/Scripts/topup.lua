-- Grows an open hold against every budget it holds, or not at all. Replies ReserveReply.
local stop = guard()
if stop then return stop end
local id, units = ARGV[ARG_ID], tonumber(ARGV[ARG_UNITS])
local not_open = reply(OUT_REPLAY, { [OUT_APPROVED] = '0', [OUT_REASON] = REASON_RESERVATION_NOT_OPEN, [OUT_HELD] = '0', [OUT_REPLAY] = '0' })
book_read(BOOK, bookkeeping({ f_hold(id) }))
sweep()
local hold = hold_read(id)
if not hold then return not_open end
local meter = tonumber(hold.meter)
local default_limit, default_period = ARGV[ARG_DEFAULT_LIMITS + 2 * meter], ARGV[ARG_DEFAULT_LIMITS + 1 + 2 * meter]
if hold.global ~= '' and (not HAS_GLOBAL or redis.call('HEXISTS', K_GLOBAL_SHARES, share_field(id)) == 0) then
  not_open[OUT_ID], not_open[OUT_HELD], not_open[OUT_EXPIRES_AT] = id, num(hold.units), num(hold.expires)
  return not_open
end

-- The budgets that apply to the hold's scopes now, in the periods it was approved in; the global one only when
-- the hold holds a share of it.
book_read(BOOK, scope_reads(hold.agent, hold.task, hold.meter, {}))
local entries = resolve(hold.agent, hold.task, hold.meter, hold.day, hold.week, hold.month, default_limit, default_period, hold.global ~= '')
for _, entry in ipairs(entries) do
  local left = available(entry)
  if units > left then
    local answer = refusal(entry, left, id, num(hold.units), num(hold.expires))
    log_refusal(answer, hold.agent, hold.task, hold.meter, ARGV[ARG_UNITS])
    finish(nil)
    return answer
  end
end

hold_on_scopes(hold, units)
hold.units = math.min(MAX_TOTAL, hold.units + units)
local expires = NOW + tonumber(ARGV[ARG_TTL])
if expires > hold.expires then hold.expires = expires end
hold_save(hold)
book_add(BOOK, F_TOP_UPS, 1)
if hold.global ~= '' then
  share_add(hold, units)
  redis.call('HSET', K_GLOBAL_SHARES, share_field(id), share_value(hold))
  redis.call('ZADD', K_GLOBAL_EXPIRY, num(hold.expires), share_field(id))
  lower_next(GLOBAL, F_NEXT_SWEEP, hold.expires)
end
finish(hold.expires)
return reply(OUT_REPLAY, { [OUT_APPROVED] = '1', [OUT_REASON] = REASON_NONE, [OUT_REMAINING] = remaining(entries),
  [OUT_ID] = id, [OUT_HELD] = num(hold.units), [OUT_EXPIRES_AT] = num(hold.expires), [OUT_REPLAY] = '0' })
