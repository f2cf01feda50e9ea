-- Returns, per open hold: id, agent, task, meter, units, expires at.
sweep()
local out = {}
local all = redis.call('HGETALL', K_HOLDS)
for i = 1, #all, 2 do
  local hold = hold_decode(all[i], all[i + 1])
  for _, value in ipairs({ hold.id, hold.agent, hold.task, hold.meter, num(hold.units), num(hold.expires) }) do
    out[#out + 1] = value
  end
end
return out
