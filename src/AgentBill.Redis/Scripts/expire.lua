-- Returns the units of up to the limit of the customer's holds past their time (the sweep every call runs, bounded by
-- the caller): the reports' expired-hold sweep. Replies DoneReply: how many holds were returned.
local stop = guard()
if stop then return stop end
book_read(BOOK, bookkeeping({}))
local released = sweep(tonumber(ARGV[ARG_LIMIT]))
finish(nil)
return reply(OUT_DONE, { [OUT_DONE] = num(released) })
