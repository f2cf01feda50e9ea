-- The reference settle: HMGET of the hold and the three scopes' usage and holds, one HSET of the new totals, HDEL of
-- the hold, ZREM from the expiry index. ARGV[1] hold id, ARGV[2] actual units.
local v = redis.call('HMGET', KEYS[1], 'h' .. ARGV[1], 'uc', 'ua', 'ut', 'rc', 'ra', 'rt')
if not v[1] then return 0 end
local held, actual = tonumber(v[1]), tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'uc', tonumber(v[2] or '0') + actual, 'ua', tonumber(v[3] or '0') + actual, 'ut', tonumber(v[4] or '0') + actual,
  'rc', tonumber(v[5]) - held, 'ra', tonumber(v[6]) - held, 'rt', tonumber(v[7]) - held)
redis.call('HDEL', KEYS[1], 'h' .. ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
