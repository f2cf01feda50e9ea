-- Reads one counter: the period's settled usage and the scope's reserved part, after the sweep. Replies UsageReply.
local stop = guard()
if stop then return stop end
local counter = ARGV[ARG_COUNTER]
local scope = string.sub(counter, 1, string.find(counter, ENTRY, 1, true) - 1)
local reads = { f_used(counter), f_reserved(scope) }
local book = BOOK
if ARGV[ARG_GLOBAL] == '1' then
  book = GLOBAL
  book_read(GLOBAL, { f_used(counter), f_reserved(scope), F_NEXT_SWEEP })
  sweep_global()
else
  book_read(BOOK, bookkeeping(reads))
  sweep()
end
local answer = { num(book_num(book, f_used(counter))), num(book_num(book, f_reserved(scope))) }
finish(nil)
return answer
