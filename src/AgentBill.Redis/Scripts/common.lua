-- The library every AgentBill function shares: this part, then the parts in Library/ in the order LedgerLibrary
-- gives (guard, book, fields, counters, holds, memory, budgets, finish, refusal), then each operation's own file. It is loaded once per server (FUNCTION LOAD, see LedgerLibrary in
-- C#), so the functions below are made once, not on every call as a script's would be; each call starts with
-- begin(), which binds the call's keys and arguments and a fresh state. Positions (K_*, ARG_*, OUT_*, ALERT_*, HOLD_*,
-- GUARD_*), reply statuses (STATUS_*) and refusal reasons (REASON_*) are replaced by their values from
-- AgentBill.Redis.Wire and RefusalReason when the library is built, so no reply is counted or spelled by hand. Every function runs guard() next: the loss
-- marker, then the clock. A function reads what it needs of the customer's hash in as few HMGETs as it can
-- (book_read), changes fields in memory (book_put, book_del) and writes them all with one HSET and one HDEL at the
-- end (finish). Ids can hold any character but control characters, so control characters separate the parts of
-- field names and values.
local FIELD, ID, ENTRY, PART = '\31', '\30', '\29', '\28'

-- The state of the call being run: set by begin(), never carried from one call to the next. DAY, WEEK and MONTH are
-- the periods the call counts in, picked by guard() among the client's candidates.
local KEYS, ARGV, HAS_GLOBAL, CUSTOMER_TAG, NOW, NOW_TEXT, SATURATED, BOOK, GLOBAL
local DAY, WEEK, MONTH

-- Totals saturate at 2^53 - 1, the largest integer a Lua number holds exactly (BudgetRules.MaxTotal in C#), and
-- never go below zero: the same answer as the in-memory store. A charge that saturated says so.
local MAX_TOTAL = 9007199254740991

-- Work per call is bounded whatever a customer holds: at most this many expired holds, global shares or forgotten
-- answers are removed by one script; the rest go with the next calls, and until then only ever count as held.
local SWEEP_HOLDS, SWEEP_SHARES, SWEEP_ANSWERS = 256, 1024, 256

-- A reply of fields 1 to last, each '' unless the caller put one at its position (OUT_*): a nil inside a reply
-- would end it there. Fills the table it is given.
local function reply(last, fields)
  for i = 1, last do
    if fields[i] == nil then fields[i] = '' end
  end
  return fields
end

local function num(value)
  return string.format('%.0f', value)
end

local function split(text, separator)
  local parts, start = {}, 1
  while true do
    local at = string.find(text, separator, start, true)
    if not at then
      parts[#parts + 1] = string.sub(text, start)
      return parts
    end
    parts[#parts + 1] = string.sub(text, start, at - 1)
    start = at + 1
  end
end
