-- The refusal of a reserve or top-up (ReserveReply), for the scripts that can refuse one.
-- When the first open hold that can hold this budget returns its units if nobody settles it ('' for none).
local function earliest_expiry(entry)
  local first = redis.call('ZRANGE', entry.global and K_GLOBAL_EXPIRY or K_HOLD_EXPIRY, 0, 0, 'WITHSCORES')
  if first[2] then return first[2] end
  return ''
end

-- A refusal of a reserve or top-up, with the refusing budget as it stood (available(entry) has read it).
local function refusal(entry, left, id, units, expires)
  local answer = { '0', entry.kind == 't' and '3' or '2', entry.kind, entry.meter, entry.name, num(math.max(0, left)), id, units, expires, '0' }
  answer[OUT_PERIOD], answer[OUT_LIMIT], answer[OUT_USED] = entry.period, num(entry.limit), num(entry.used)
  answer[OUT_RESERVED], answer[OUT_EARLIEST_EXPIRY] = num(entry.reserved), earliest_expiry(entry)
  return answer
end
