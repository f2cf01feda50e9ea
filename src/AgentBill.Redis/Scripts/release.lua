-- Frees an open hold. Replies DoneReply: '1' when an open hold was freed.
local stop = guard()
if stop then return stop end
local id = ARGV[ARG_ID]
book_read(BOOK, bookkeeping({ f_hold(id) }))
sweep()
local hold = hold_read(id)
local done = '0'
if hold then
  book_read(BOOK, scope_reads(hold.agent, hold.task, hold.meter, {}))
  hold_return(hold, true)
  done = '1'
end
finish(nil)
return reply(OUT_DONE, { [OUT_DONE] = done })
