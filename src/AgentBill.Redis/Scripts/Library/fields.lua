-- Field names of the customer's hash. Bookkeeping fields start with '#'; every other name is a kind letter, PART,
-- then ids. A scope field is kind, meter and, for agents and tasks, the name (RedisKeys.BudgetField in C#).
local F_HOLDS, F_SEQUENCE, F_NEXT_SWEEP, F_NEXT_FORGET, F_DEADLINE, F_BUDGETS, F_ANSWERS = '#n', '#s', '#e', '#f', '#d', '#b', '#k'
-- The reports' totals: top-ups approved (a reserve approved is counted by F_SEQUENCE already) and refusals decided.
local F_TOP_UPS, F_REFUSED = '#t', '#r'
local PERSISTENT, NONE = 'p', 'none'

local function budget_field(kind, meter, name)
  if name then return kind .. ID .. meter .. ID .. name end
  return kind .. ID .. meter
end

local function f_budget(scope) return 'B' .. PART .. scope end
local function f_used(counter) return 'u' .. PART .. counter end
-- What open holds hold is kept per period like usage (a counter id: scope, ENTRY, period name): a hold counts in the
-- lifetime total and in the day, week and month that approved it, so a new period's budget sees only its own holds.
local function f_reserved(counter) return 'r' .. PART .. counter end
-- Before holds were kept per period, one field per scope held them all; a hold made then gives its units back there.
local function f_legacy_reserved(scope) return 'r' .. PART .. scope end
local function f_alerted(counter) return 'a' .. PART .. counter end
local function f_hold(id) return 'h' .. PART .. id end
local function f_memory(name) return 'm' .. PART .. name end
-- The refusal log: a ring of REFUSALS_KEPT fields, the n-th refusal (F_REFUSED after it) in slot n mod REFUSALS_KEPT
-- (ReportRules.RefusalsKeptPerCustomer in C#).
local REFUSALS_KEPT = 50
local function f_refusal(n) return 'R' .. PART .. num(n % REFUSALS_KEPT) end

local LIFETIME = 'all'

local function period_key(period, day, week, month)
  if period == 1 then return day elseif period == 2 then return week elseif period == 3 then return month end
  return 'all'
end

-- The customer-side scopes of a call, by field: customer, agent, and task when there is one.
local function scope_fields(agent, task, meter)
  local fields = { budget_field('c', meter, nil), budget_field('a', meter, agent) }
  if task ~= '' then fields[#fields + 1] = budget_field('t', meter, task) end
  return fields
end
