-- Writes every change, then keeps the customer's keys alive: a customer with a budget keeps them for good; any
-- other customer's expire RETENTION after its last activity (or its latest hold or answer, if later), moved a day
-- further than needed each time so the expiries are written about once a day rather than with every call.
local DAY_MS = 86400000
local function finish(latest)
  packs_put(BOOK)
  if GLOBAL then packs_put(GLOBAL) end
  -- A script that changed nothing of the customer's (a read of a customer never seen) creates nothing.
  if #BOOK.put_order == 0 and next(BOOK.dels) == nil then
    if GLOBAL then book_flush(GLOBAL) end
    return
  end
  local holds_before = tonumber(BOOK.initial[F_HOLDS] or '0')
  local answers_before = tonumber(BOOK.initial[F_ANSWERS] or '0')
  local deadline = book_get(BOOK, F_DEADLINE)
  local refresh = false
  if deadline ~= PERSISTENT then
    local wanted = math.max(NOW, latest or 0) + tonumber(ARGV[ARG_RETENTION])
    if not deadline or tonumber(deadline) < wanted then
      deadline = num(wanted + DAY_MS)
      book_put(BOOK, F_DEADLINE, deadline)
      refresh = true
    end
  end
  book_flush(BOOK)
  if GLOBAL then book_flush(GLOBAL) end
  if deadline == PERSISTENT then return end
  local holds_now = book_num(BOOK, F_HOLDS)
  local answers_now = book_num(BOOK, F_ANSWERS)
  -- Relative to the ledger's now, so a test's fake clock and the server's own agree on how long is left.
  local ttl = tonumber(deadline) - NOW
  if refresh then redis.call('PEXPIRE', K_BOOK, ttl) end
  if refresh or (holds_before == 0 and holds_now > 0) then
    redis.call('PEXPIRE', K_HOLD_EXPIRY, ttl)
    redis.call('PEXPIRE', K_HOLD_INDEX, ttl)
  end
  if refresh or (answers_before == 0 and answers_now > 0) then redis.call('PEXPIRE', K_MEMORY_EXPIRY, ttl) end
end
