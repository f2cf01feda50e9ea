-- Settles a hold with actual usage, or charges usage directly when no hold is open. Replies ChargeReply; a record
-- naming an open hold of another meter, agent or task replies STATUS_MISMATCH (MismatchReply) with the hold's meter, agent and task; a
-- key or a settled hold repeated with another request replies STATUS_CONFLICT or STATUS_CONFLICT_SETTLE.
local stop = guard(ARGV[ARG_DAY], ARGV[ARG_WEEK], ARGV[ARG_MONTH])
if stop then return stop end
local agent, task, meter, units, reservation = ARGV[ARG_AGENT], ARGV[ARG_TASK], ARGV[ARG_METER], tonumber(ARGV[ARG_UNITS]), ARGV[ARG_RESERVATION]
local day, week, month = DAY, WEEK, MONTH
local fingerprint = ARGV[ARG_FINGERPRINT]

-- The oldest open hold of the call's agent, task and meter: the first index entry past their prefix.
local function oldest()
  local prefix = index_prefix(agent, task, meter)
  local first = redis.call('ZRANGEBYLEX', K_HOLD_INDEX, '[' .. prefix, '[' .. prefix .. '\255', 'LIMIT', 0, 1)[1]
  if not first then return nil end
  return string.sub(first, #prefix + 18)
end

-- One HMGET: the budgets, holds and counters of the call's scopes, the hold it settles, its answers.
local reads = scope_reads(agent, task, meter, {})
for _, scope in ipairs(scope_fields(agent, task, meter)) do reads[#reads + 1] = f_packed(scope) end
local memory_name = nil
if ARGV[ARG_KEY] ~= '' then
  memory_name = 'c' .. ARGV[ARG_KEY]
  reads[#reads + 1] = f_memory(memory_name)
end
local hold_id = nil
if reservation ~= '' then
  hold_id = reservation
  reads[#reads + 1] = f_memory('t' .. reservation)
elseif ARGV[ARG_SETTLE_OLDEST] == '1' then
  hold_id = oldest()
end
if hold_id then reads[#reads + 1] = f_hold(hold_id) end
book_read(BOOK, reads)

local function replayed(answer)
  local out = {}
  for i = 1, OUT_REPLAY - 1 do out[i] = answer[i] end
  out[OUT_REPLAY], out[OUT_SATURATED], out[OUT_ALERT_COUNT] = '1', answer[OUT_SATURATED] or '0', '0'
  return out
end

if memory_name then
  local replay = recall(memory_name, fingerprint)
  if replay == STATUS_CONFLICT then return { STATUS_CONFLICT } end
  if replay then return replayed(replay) end
end
sweep()

local hold = nil
if reservation ~= '' then
  -- An open hold first: a record that named an id before its hold existed never decides what settling that hold
  -- does. A settled hold is remembered for the whole window: a repeated settle replays, one with another request
  -- is a mistake. Neither open nor settled (expired, released, never made): charged directly, and remembered.
  hold = hold_read(reservation)
  if hold then
    if hold.agent ~= agent or hold.meter ~= meter or hold.task ~= task then return reply(OUT_TASK, { [OUT_STATUS] = STATUS_MISMATCH, [OUT_METER] = hold.meter, [OUT_AGENT] = hold.agent, [OUT_TASK] = hold.task }) end
  else
    local settled = recall('t' .. reservation, fingerprint)
    if settled == STATUS_CONFLICT then return { STATUS_CONFLICT_SETTLE } end
    if settled then return replayed(settled) end
  end
elseif hold_id then
  hold = hold_read(hold_id)
  -- The sweep just returned it: the next oldest, if one is open.
  if not hold then
    hold_id = oldest()
    if hold_id then hold = hold_read(hold_id) end
  end
end

local charged
if hold then
  local with_global = hold.global ~= '' and HAS_GLOBAL
  -- Settled in the periods it was approved in, against the budgets that apply to its scopes now.
  charged = resolve(hold.agent, hold.task, hold.meter, hold.day, hold.week, hold.month, ARGV[ARG_DEFAULT_LIMIT], ARGV[ARG_DEFAULT_PERIOD], with_global)
  hold_on_scopes(hold, -hold.units)
  if with_global then share_release(hold.id) end
  hold_close(hold, true)
  meter_usage(hold.agent, hold.task, hold.meter, hold.day, hold.week, hold.month, units, with_global)
else
  charged = resolve(agent, task, meter, day, week, month, ARGV[ARG_DEFAULT_LIMIT], ARGV[ARG_DEFAULT_PERIOD], true)
  local with_global = false
  for _, entry in ipairs(charged) do if entry.global then with_global = true end end
  meter_usage(agent, task, meter, day, week, month, units, with_global)
end

local overrun = '0'
local alerts = {}
local thresholds = {}
if ARGV[ARG_THRESHOLDS] ~= '' then thresholds = split(ARGV[ARG_THRESHOLDS], ',') end
for _, entry in ipairs(charged) do
  available(entry)
  local used = entry.used
  if used > entry.limit then overrun = '1' end
  -- Below the lowest threshold no alert can be due, whatever was raised before: no need to read which.
  if #thresholds > 0 and reached(used, entry.limit, tonumber(thresholds[1])) then
    local alerted = book_num(entry.book, f_alerted(entry.id))
    for _, text in ipairs(thresholds) do
      local threshold = tonumber(text)
      if threshold > alerted and reached(used, entry.limit, threshold) then
        alerted = threshold
        book_put(entry.book, f_alerted(entry.id), text)
        local at = #alerts + 1
        alerts[at + ALERT_KIND], alerts[at + ALERT_METER], alerts[at + ALERT_NAME] = entry.kind, entry.meter, entry.name
        alerts[at + ALERT_PERIOD], alerts[at + ALERT_THRESHOLD] = entry.period, text
        alerts[at + ALERT_USED], alerts[at + ALERT_LIMIT] = num(used), num(entry.limit)
      end
    end
  end
end

local answer = reply(OUT_ALERT_COUNT, { [OUT_UNITS] = ARGV[ARG_UNITS], [OUT_SETTLED] = hold and hold.id or '', [OUT_RELEASED] = hold and num(hold.units) or '0',
  [OUT_OVERRUN] = overrun, [OUT_REMAINING] = remaining(charged), [OUT_REPLAY] = '0', [OUT_SATURATED] = SATURATED and '1' or '0', [OUT_ALERT_COUNT] = num(#alerts / ALERT_LENGTH) })
local stored = fingerprint .. FIELD .. table.concat(answer, FIELD, 1, OUT_SATURATED)
if reservation ~= '' then remember('t' .. reservation, stored, ARGV[ARG_WINDOW]) end
if memory_name then remember(memory_name, stored, ARGV[ARG_WINDOW]) end
finish(nil)
for _, value in ipairs(alerts) do answer[#answer + 1] = value end
return answer
