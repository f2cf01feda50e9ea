-- The refusal of a reserve or top-up (ReserveReply), for the scripts that can refuse one.
-- When the first open hold that can hold this budget returns its units if nobody settles it ('' for none).
local function earliest_expiry(entry)
  local first = redis.call('ZRANGE', entry.global and K_GLOBAL_EXPIRY or K_HOLD_EXPIRY, 0, 0, 'WITHSCORES')
  if first[2] then return first[2] end
  return ''
end

-- Logs a refusal in the customer's ring and counts it, in the refusing call's atomic step (only refusals pay for it):
-- '<at><FIELD><agent><FIELD><task><FIELD><meter><FIELD><reason><FIELD><kind><FIELD><name><FIELD><units><FIELD><remaining>'.
local function log_refusal(answer, agent, task, meter, units)
  local n = book_add(BOOK, F_REFUSED, 1)
  book_put(BOOK, f_refusal(n), table.concat({ NOW_TEXT, agent, task, meter, answer[OUT_REASON], answer[OUT_KIND], answer[OUT_NAME], units, answer[OUT_KIND] == '' and '' or answer[OUT_REMAINING] }, FIELD))
end

-- A refusal of a reserve or top-up, with the refusing budget as it stood (available(entry) has read it).
local function refusal(entry, left, id, units, expires)
  return reply(OUT_EARLIEST_EXPIRY, {
    [OUT_APPROVED] = '0', [OUT_REASON] = entry.kind == 't' and REASON_TASK_CEILING_EXCEEDED or REASON_BUDGET_EXHAUSTED,
    [OUT_KIND] = entry.kind, [OUT_METER] = entry.meter, [OUT_NAME] = entry.name, [OUT_REMAINING] = num(math.max(0, left)),
    [OUT_ID] = id, [OUT_HELD] = units, [OUT_EXPIRES_AT] = expires, [OUT_REPLAY] = '0',
    [OUT_PERIOD] = entry.period, [OUT_LIMIT] = num(entry.limit), [OUT_USED] = num(entry.used),
    [OUT_RESERVED] = num(entry.reserved), [OUT_EARLIEST_EXPIRY] = earliest_expiry(entry) })
end
