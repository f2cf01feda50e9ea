-- ARGV[4] counter id [5] '1' for the global scope. Returns the period's used part and the scope's reserved part.
sweep()
local key = K_COUNTERS
if ARGV[5] == '1' then key = G_COUNTERS end
local scope_field = string.sub(ARGV[4], 1, string.find(ARGV[4], ENTRY, 1, true) - 1)
return { num(counter_get(key, ARGV[4], 'u')), num(counter_get(key, scope_field, 'r')) }
