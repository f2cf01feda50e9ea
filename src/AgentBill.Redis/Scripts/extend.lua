-- Moves an open hold's expiry later. Replies DoneReply.
local stop = guard()
if stop then return stop end
local id = ARGV[ARG_ID]
book_read(BOOK, bookkeeping({ f_hold(id) }))
sweep()
local hold = hold_read(id)
if not hold then
  finish(nil)
  return reply(OUT_DONE, { [OUT_DONE] = '0' })
end
local expires = NOW + tonumber(ARGV[ARG_TTL])
if expires > hold.expires then
  hold.expires = expires
  hold_save(hold)
  if hold.global ~= '' and HAS_GLOBAL and redis.call('HEXISTS', K_GLOBAL_SHARES, share_field(id)) == 1 then
    redis.call('ZADD', K_GLOBAL_EXPIRY, num(expires), share_field(id))
  end
end
finish(hold.expires)
return reply(OUT_DONE, { [OUT_DONE] = '1' })
