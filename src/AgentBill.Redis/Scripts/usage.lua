-- Reads one counter: the period's settled usage and what the open holds that period approved hold, after the
-- sweep. Replies UsageReply.
local stop = guard()
if stop then return stop end
local counter = ARGV[ARG_COUNTER]
local at = string.find(counter, ENTRY, 1, true)
local scope, period = string.sub(counter, 1, at - 1), string.sub(counter, at + 1)
local reads = { f_packed(scope), f_used(counter), f_reserved(counter) }
local book = BOOK
if ARGV[ARG_GLOBAL] == '1' then
  book = GLOBAL
  book_read(GLOBAL, { f_packed(scope), f_used(counter), f_reserved(counter), F_NEXT_SWEEP })
  sweep_global()
else
  book_read(BOOK, bookkeeping(reads))
  sweep()
end
local used, reserved = counter_of(book, scope, period)
local answer = reply(OUT_RESERVED, { [OUT_USED] = num(used), [OUT_RESERVED] = num(reserved) })
finish(nil)
return answer
