-- Sets or removes a budget, or resets a counter, in the customer's hash (or the global scope's). A customer with
-- a budget keeps its keys for good; once its last budget is removed they expire after the retention again. Admin
-- calls carry no time: the next operation of the customer moves the expiry on. Replies AdminReply.
local stop = guard()
if stop then return stop end
local operation, field = ARGV[ARG_OPERATION], ARGV[ARG_FIELD]
local book = BOOK
if ARGV[ARG_GLOBAL] == '1' then book = GLOBAL end
local changed = '0'
if operation == 'reset' then
  -- Resetting what never counted creates nothing.
  if redis.call('EXISTS', book.key) == 1 then
    counter_reset(book, field)
    book_put(book, f_alerted(field), '0')
    packs_put(book)
  end
  book_flush(book)
  return reply(OUT_CHANGED, { [OUT_CHANGED] = changed })
end

book_read(BOOK, { F_BUDGETS, F_DEADLINE })
local budget = f_budget(field)
local existed = redis.call('HEXISTS', book.key, budget) == 1
if operation == 'set' then
  book_put(book, budget, ARGV[ARG_VALUE])
  if not existed and book == BOOK then book_add(BOOK, F_BUDGETS, 1) end
elseif existed then
  book_del(book, budget)
  changed = '1'
  if book == BOOK then book_add(BOOK, F_BUDGETS, -1) end
end
local persist = book == BOOK and book_num(BOOK, F_BUDGETS) > 0 and book_get(BOOK, F_DEADLINE) ~= PERSISTENT
local expire = book == BOOK and book_num(BOOK, F_BUDGETS) == 0 and book_get(BOOK, F_DEADLINE) == PERSISTENT
if persist then book_put(BOOK, F_DEADLINE, PERSISTENT) end
if expire then book_del(BOOK, F_DEADLINE) end
book_flush(book)
if book ~= BOOK then book_flush(BOOK) end
for _, key in ipairs({ K_BOOK, K_HOLD_EXPIRY, K_HOLD_INDEX, K_MEMORY_EXPIRY }) do
  if persist then redis.call('PERSIST', key) end
  if expire then redis.call('PEXPIRE', key, ARGV[ARG_RETENTION]) end
end
return reply(OUT_CHANGED, { [OUT_CHANGED] = changed })
