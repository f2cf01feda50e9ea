-- Holds units against every budget that applies, or against none of them. Replies ReserveReply.
local stop = guard(ARGV[ARG_DAY], ARGV[ARG_WEEK], ARGV[ARG_MONTH])
if stop then return stop end
local agent, task, meter, units = ARGV[ARG_AGENT], ARGV[ARG_TASK], ARGV[ARG_METER], tonumber(ARGV[ARG_UNITS])
local id = ARGV[ARG_ID]
local expires = NOW + tonumber(ARGV[ARG_TTL])
local memory_name = nil
local reads = scope_reads(agent, task, meter, { f_hold(id) })
if ARGV[ARG_KEY] ~= '' then
  memory_name = 'p' .. ARGV[ARG_KEY]
  reads[#reads + 1] = f_memory(memory_name)
end
book_read(BOOK, reads)

if memory_name then
  local replay = recall(memory_name, ARGV[ARG_FINGERPRINT])
  if replay == STATUS_CONFLICT then return { STATUS_CONFLICT } end
  if replay then
    replay[OUT_REPLAY] = '1'
    return replay
  end
end
sweep()

local applicable = resolve(agent, task, meter, DAY, WEEK, MONTH, ARGV[ARG_DEFAULT_LIMIT], ARGV[ARG_DEFAULT_PERIOD], true)
local answer = nil
for _, entry in ipairs(applicable) do
  local left = available(entry)
  if left <= 0 or units > left then
    answer = refusal(entry, left, '', '0', '')
    break
  end
end

-- The cap on open holds bounds what one customer can make every later call of its own carry; it is checked
-- after the budgets, whose refusal says more (whether waiting helps).
if not answer and book_num(BOOK, F_HOLDS) >= tonumber(ARGV[ARG_HOLD_CAP]) then
  answer = reply(OUT_REPLAY, { [OUT_APPROVED] = '0', [OUT_REASON] = REASON_TOO_MANY_OPEN_HOLDS, [OUT_HELD] = '0', [OUT_REPLAY] = '0' })
end

if answer then
  log_refusal(answer, agent, task, meter, ARGV[ARG_UNITS])
else
  if book_get(BOOK, f_hold(id)) then
    return redis.error_reply('AGENTBILL a hold with this id is already open')
  end
  local hold = { id = id, agent = agent, task = task, meter = meter, units = units, expires = expires, seq = book_add(BOOK, F_SEQUENCE, 1), global = '',
    day = DAY, week = WEEK, month = MONTH }
  for _, entry in ipairs(applicable) do
    if entry.global then hold.global = entry.scope end
  end
  hold_save(hold)
  redis.call('ZADD', K_HOLD_INDEX, 0, index_entry(hold))
  book_add(BOOK, F_HOLDS, 1)
  hold_on_scopes(hold, units)
  for _, entry in ipairs(applicable) do
    if entry.global then
      share_add(hold, units)
      redis.call('HSET', K_GLOBAL_SHARES, share_field(id), share_value(hold))
      redis.call('ZADD', K_GLOBAL_EXPIRY, num(expires), share_field(id))
      lower_next(GLOBAL, F_NEXT_SWEEP, expires)
    end
  end
  answer = reply(OUT_REPLAY, { [OUT_APPROVED] = '1', [OUT_REASON] = REASON_NONE, [OUT_REMAINING] = remaining(applicable),
    [OUT_ID] = id, [OUT_HELD] = ARGV[ARG_UNITS], [OUT_EXPIRES_AT] = num(expires), [OUT_REPLAY] = '0' })
end

if memory_name then
  remember(memory_name, ARGV[ARG_FINGERPRINT] .. FIELD .. table.concat(answer, FIELD), ARGV[ARG_WINDOW])
end
finish(expires)
return answer
