-- Remembered answers live in the customer's hash, '<forget at><FIELD><fingerprint><FIELD><answer>', so a replay
-- is read by the same HMGET as everything else; an answer past its time is ignored at once and removed, a bounded
-- number per call, when an answer is written (only writing one can grow the memory).
local function remember(name, value, window)
  if tonumber(window) <= 0 then return end
  local field = f_memory(name)
  local forget_at = NOW + tonumber(window)
  local forgotten = take_due(BOOK, F_NEXT_FORGET, K_MEMORY_EXPIRY, SWEEP_ANSWERS)
  if #forgotten > 0 then
    book_read(BOOK, forgotten)
    for _, old in ipairs(forgotten) do
      if book_get(BOOK, old) then
        book_del(BOOK, old)
        book_add(BOOK, F_ANSWERS, -1)
      end
    end
  end
  if not book_get(BOOK, field) then book_add(BOOK, F_ANSWERS, 1) end
  book_put(BOOK, field, num(forget_at) .. FIELD .. value)
  redis.call('ZADD', K_MEMORY_EXPIRY, num(forget_at), field)
  lower_next(BOOK, F_NEXT_FORGET, forget_at)
end

-- Returns the remembered answer (a list of fields) for a name, STATUS_CONFLICT for the same name with another
-- request, or nil. book_read must have read the field, or it is read here.
local function recall(name, fingerprint)
  local text = book_get(BOOK, f_memory(name))
  if not text then return nil end
  local first = string.find(text, FIELD, 1, true)
  if tonumber(string.sub(text, 1, first - 1)) <= NOW then return nil end
  local second = string.find(text, FIELD, first + 1, true)
  if string.sub(text, first + 1, second - 1) ~= fingerprint then return STATUS_CONFLICT end
  return split(string.sub(text, second + 1), FIELD)
end
