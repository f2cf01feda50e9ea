-- ARGV[4] reservation id. Returns 1 when an open hold was freed.
sweep()
local text = redis.call('HGET', K_HOLDS, ARGV[4])
if not text then return 0 end
hold_return(hold_decode(ARGV[4], text))
return 1
