-- ARGV[4] counter id [5] '1' for the global scope. Returns used, reserved.
sweep()
local key = K_COUNTERS
if ARGV[5] == '1' then key = G_COUNTERS end
return { num(counter_get(key, ARGV[4], 'u')), num(counter_get(key, ARGV[4], 'r')) }
