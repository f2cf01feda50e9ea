-- ARGV[4] agent [5] task [6] meter [7] units [8] reservation id [9] expires at [10..12] day, week, month
-- [13] default customer limit ('' none) [14] its period [15] idempotency key ('' none) [16] remember until [17] fingerprint
-- Returns approved, reason, refused kind, meter, name, remaining ('' unlimited), reservation id, held units, expires at, replay.
sweep()
local agent, task, meter, units = ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local id, expires = ARGV[8], tonumber(ARGV[9])
local memory_field = nil
if ARGV[15] ~= '' then
  memory_field = 'p' .. ARGV[15]
  local replay = recall(memory_field, ARGV[17])
  if replay == 'conflict' then return { 'conflict' } end
  if replay then
    replay[10] = '1'
    return replay
  end
end

local applicable = resolve(agent, task, meter, ARGV[10], ARGV[11], ARGV[12], ARGV[13], ARGV[14])
local answer = nil
for _, entry in ipairs(applicable) do
  local left = available(entry)
  if left <= 0 or units > left then
    answer = { '0', reason_for(entry), entry.kind, meter, entry.name, num(math.max(0, left)), '', '0', '', '0' }
    break
  end
end

if not answer then
  if redis.call('HEXISTS', K_HOLDS, id) == 1 then
    return redis.error_reply('AGENTBILL a hold with this id is already open')
  end
  local hold = { id = id, agent = agent, task = task, meter = meter, units = units, expires = expires, seq = redis.call('HINCRBY', K_META, 'seq', 1), entries = {}, global = '' }
  for _, entry in ipairs(applicable) do
    counter_add(counters_of(entry), entry.id, 'r', units)
    if entry.global then
      hold.global = entry.id
      redis.call('HSET', G_SHARES, share_field(id), entry.id .. FIELD .. num(units))
      redis.call('ZADD', G_EXPIRY, expires, share_field(id))
    else
      hold.entries[#hold.entries + 1] = entry.id
    end
  end
  hold_save(hold)
  answer = { '1', '0', '', '', '', remaining(applicable), id, num(units), num(expires), '0' }
end

if memory_field then
  remember(memory_field, ARGV[17] .. FIELD .. table.concat(answer, FIELD), tonumber(ARGV[16]))
end
return answer
