-- ARGV[4] reservation id [5] new expiry. Returns 1 when the hold was open.
sweep()
local id, expires = ARGV[4], tonumber(ARGV[5])
local text = redis.call('HGET', K_HOLDS, id)
if not text then return 0 end
local hold = hold_decode(id, text)
if expires > hold.expires then
  hold.expires = expires
  hold_save(hold)
  if hold.global ~= '' and HAS_GLOBAL and redis.call('HEXISTS', G_SHARES, share_field(id)) == 1 then
    redis.call('ZADD', G_EXPIRY, expires, share_field(id))
  end
end
return 1
