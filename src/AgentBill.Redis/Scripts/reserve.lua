-- ARGV[4] agent [5] task [6] meter [7] units [8] reservation id [9] expires at [10..12] day, week, month
-- [13] default customer limit ('' none) [14] its period [15] idempotency key ('' none) [16] remember until [17] fingerprint
-- Returns approved, reason, refused kind, meter, name, remaining ('' unlimited), reservation id, held units, expires at, replay,
-- and for a refusal the refusing budget as it stood (see refusal).
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
    answer = refusal(entry, left, '', '0', '')
    break
  end
end

if not answer then
  local hold = { id = id, agent = agent, task = task, meter = meter, units = units, expires = expires, seq = redis.call('HINCRBY', K_META, 'seq', 1), entries = {}, global = '',
    day = ARGV[10], week = ARGV[11], month = ARGV[12] }
  for _, entry in ipairs(applicable) do
    if entry.global then hold.global = entry.field end
  end
  -- Claiming the id before any counter moves leaves them all untouched when it is taken; only the sequence
  -- has moved on, and it just orders holds.
  if redis.call('HSETNX', K_HOLDS, id, hold_encode(hold)) == 0 then
    return redis.error_reply('AGENTBILL a hold with this id is already open')
  end
  redis.call('ZADD', K_EXPIRY, ARGV[9], id)
  local reserved = hold_on_scopes(hold, units)
  for _, entry in ipairs(applicable) do
    if entry.global then
      entry.reserved = counter_add(G_COUNTERS, entry.field, 'r', units)
      redis.call('HSET', G_SHARES, share_field(id), entry.field .. FIELD .. ARGV[7])
      redis.call('ZADD', G_EXPIRY, ARGV[9], share_field(id))
    else
      entry.reserved = reserved[entry.field]
    end
  end
  answer = { '1', '0', '', '', '', remaining(applicable), id, ARGV[7], ARGV[9], '0' }
end

if memory_field then
  remember(memory_field, ARGV[17] .. FIELD .. table.concat(answer, FIELD), ARGV[16])
end
return answer
