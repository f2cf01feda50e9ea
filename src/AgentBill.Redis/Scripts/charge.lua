-- ARGV[4] agent [5] task [6] meter [7] units [8] reservation id ('' none) [9..11] day, week, month
-- [12] default customer limit ('' none) [13] its period [14] idempotency key ('' none) [15] remember until
-- [16] fingerprint (when a key or a reservation is named) [17] alert thresholds, ascending, comma-separated
-- [18] '1' when an unnamed charge settles the oldest hold
-- Returns units, settled id, released units, overrun, remaining, replay, saturated, alert count, then per alert:
-- kind, meter, name, period key, threshold, used, limit. A record naming an open hold with another meter, agent or
-- task returns 'mismatch', the hold's meter, agent and task; a key or a settled hold repeated with another request
-- returns 'conflict' or 'conflict-settle'.
sweep()
local agent, task, meter, units, reservation = ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7]), ARGV[8]

local function replayed(answer)
  local out = {}
  for i = 1, 5 do out[i] = answer[i] end
  out[6], out[7], out[8] = '1', answer[7] or '0', '0'
  return out
end

local memory_field = nil
if ARGV[14] ~= '' then
  memory_field = 'c' .. ARGV[14]
  local replay = recall(memory_field, ARGV[16])
  if replay == 'conflict' then return { 'conflict' } end
  if replay then return replayed(replay) end
end

local hold = nil
if reservation ~= '' then
  -- An open hold first: a record that named an id before its hold existed never decides what settling that hold
  -- does. A settled hold is remembered for the whole window: a repeated settle replays, one with another request
  -- is a mistake. Neither open nor settled (expired, released, never made): charged directly, and remembered.
  local text = redis.call('HGET', K_HOLDS, reservation)
  if text then
    hold = hold_decode(reservation, text)
    if hold.agent ~= agent or hold.meter ~= meter or hold.task ~= task then return { 'mismatch', hold.meter, hold.agent, hold.task } end
  else
    local settled = recall('t' .. reservation, ARGV[16])
    if settled == 'conflict' then return { 'conflict-settle' } end
    if settled then return replayed(settled) end
  end
elseif ARGV[18] == '1' then
  local all = redis.call('HGETALL', K_HOLDS)
  for i = 1, #all, 2 do
    local candidate = hold_decode(all[i], all[i + 1])
    if candidate.agent == agent and candidate.meter == meter and candidate.task == task and (hold == nil or candidate.seq < hold.seq) then hold = candidate end
  end
end

local charged = {}
if hold then
  local reserved = hold_on_scopes(hold, -hold.units)
  local with_global = hold.global ~= '' and HAS_GLOBAL
  if with_global then share_release(hold.id) end
  hold_close(hold)
  -- Settled in the periods it was approved in, against the budgets that apply to its scopes now.
  local used = meter_usage(hold.agent, hold.task, hold.meter, hold.day, hold.week, hold.month, units, with_global)
  for _, entry in ipairs(resolve(hold.agent, hold.task, hold.meter, hold.day, hold.week, hold.month, ARGV[12], ARGV[13])) do
    if with_global or not entry.global then
      entry.used = used[entry.id]
      entry.reserved = reserved[entry.field]
      charged[#charged + 1] = entry
    end
  end
else
  local applicable = resolve(agent, task, meter, ARGV[9], ARGV[10], ARGV[11], ARGV[12], ARGV[13])
  local with_global = false
  for _, entry in ipairs(applicable) do if entry.global then with_global = true end end
  local used = meter_usage(agent, task, meter, ARGV[9], ARGV[10], ARGV[11], units, with_global)
  for _, entry in ipairs(applicable) do
    entry.used = used[entry.id]
    charged[#charged + 1] = entry
  end
end

local overrun = '0'
local alerts = {}
local thresholds = {}
if ARGV[17] ~= '' then thresholds = split(ARGV[17], ',') end
for _, entry in ipairs(charged) do
  if entry.limit then
    local key = counters_of(entry)
    local used = entry.used
    if used > entry.limit then overrun = '1' end
    -- Below the lowest threshold no alert can be due, whatever was raised before: no need to read which.
    local alerted = 0
    if #thresholds > 0 and reached(used, entry.limit, tonumber(thresholds[1])) then alerted = counter_get(key, entry.id, 'a') end
    for _, text in ipairs(thresholds) do
      local threshold = tonumber(text)
      if threshold > alerted and reached(used, entry.limit, threshold) then
        alerted = threshold
        redis.call('HSET', key, 'a' .. PART .. entry.id, threshold)
        for _, value in ipairs({ entry.kind, entry.meter, entry.name, entry.period, text, num(used), num(entry.limit) }) do
          alerts[#alerts + 1] = value
        end
      end
    end
  end
end

local answer = { ARGV[7], hold and hold.id or '', hold and num(hold.units) or '0', overrun, remaining(charged), '0', SATURATED and '1' or '0', num(#alerts / 7) }
local stored = ARGV[16] .. FIELD .. table.concat(answer, FIELD, 1, 7)
if reservation ~= '' then remember('t' .. reservation, stored, ARGV[15]) end
if memory_field then remember(memory_field, stored, ARGV[15]) end
for _, value in ipairs(alerts) do answer[#answer + 1] = value end
return answer
