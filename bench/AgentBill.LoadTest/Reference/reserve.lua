-- The reference reserve: the leanest hold over three scopes (customer, agent, task) Lua allows. One HMGET of the
-- limits, usage and holds of the three scopes, one HSET of the three holds and the hold, one ZADD in the expiry
-- index. No idempotency, alerts, global scope, periods or clock: the floor of any Lua ledger on this server.
-- KEYS[1] the customer's hash, KEYS[2] its expiry index; ARGV[1] hold id, ARGV[2] units, ARGV[3] expiry.
local v = redis.call('HMGET', KEYS[1], 'Bc', 'Ba', 'Bt', 'uc', 'ua', 'ut', 'rc', 'ra', 'rt')
local units = tonumber(ARGV[2])
for i = 1, 3 do
  if v[i] and tonumber(v[i]) - tonumber(v[i + 3] or '0') - tonumber(v[i + 6] or '0') < units then return 0 end
end
redis.call('HSET', KEYS[1], 'rc', tonumber(v[7] or '0') + units, 'ra', tonumber(v[8] or '0') + units, 'rt', tonumber(v[9] or '0') + units, 'h' .. ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
