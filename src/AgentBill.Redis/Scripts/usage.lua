-- Reads one counter: the period's settled usage and what the open holds that period approved hold, after the
-- sweep. Replies UsageReply.
local stop = guard()
if stop then return stop end
local counter = ARGV[ARG_COUNTER]
local reads = { f_used(counter), f_reserved(counter) }
local book = BOOK
if ARGV[ARG_GLOBAL] == '1' then
  book = GLOBAL
  book_read(GLOBAL, { f_used(counter), f_reserved(counter), F_NEXT_SWEEP })
  sweep_global()
else
  book_read(BOOK, bookkeeping(reads))
  sweep()
end
local answer = reply(OUT_RESERVED, { [OUT_USED] = num(book_num(book, f_used(counter))), [OUT_RESERVED] = num(book_num(book, f_reserved(counter))) })
finish(nil)
return answer
