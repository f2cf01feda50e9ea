using AgentBill.Ledger;

namespace AgentBill.Sqlite;

/// <summary>
/// The work of one operation inside its <c>BEGIN IMMEDIATE</c> transaction: the counters it reads are loaded once,
/// changed in memory, and written back before the commit. Holds, budgets and answers are read and written directly.
/// </summary>
internal sealed class LedgerTransaction(SqliteSession session, long now, long retentionTicks)
{
    private readonly Dictionary<CounterKey, Counter> _counters = [];

    public SqliteSession Session { get; } = session;

    public long Now { get; } = now;

    // ---- Customers, housekeeping ----

    /// <summary>
    /// What every operation on a customer's holds does first: the customer marked active now, a bounded amount of
    /// cleaning, and the customer's holds past their time returned.
    /// </summary>
    public void Begin(string customer)
    {
        Touch(customer);
        Housekeep();
        ExpireCustomer(customer);
    }

    /// <summary>Makes the customer's row when absent and marks it active now.</summary>
    public void Touch(string customer)
        => Session.Execute(
            "INSERT INTO agentbill_customers (customer, last_activity, next_check, holds, seq) VALUES ($1, $2, $3, 0, 0) ON CONFLICT (customer) DO UPDATE SET last_activity = excluded.last_activity",
            customer, Now, AddTicks(Now, retentionTicks));

    /// <summary>Makes the customer's row for an admin call, which carries no time: judged at the next operation.</summary>
    public void TouchWithoutTime(string customer)
        => Session.Execute("INSERT INTO agentbill_customers (customer, last_activity, next_check, holds, seq) VALUES ($1, 0, 0, 0, 0) ON CONFLICT (customer) DO NOTHING", customer);

    public bool CustomerExists(string customer) => Session.Scalar("SELECT 1 FROM agentbill_customers WHERE customer = $1", customer) is not null;

    /// <summary>
    /// A bounded amount of cleaning: a few answers past their window, and a few customers due for a look — an idle
    /// one (no budget, hold or live answer, no activity for the retention) is deleted with its usage; another has its
    /// past periods untouched for the retention deleted and is looked at again one retention later.
    /// </summary>
    public void Housekeep()
    {
        Session.Execute("DELETE FROM agentbill_answers WHERE rowid IN (SELECT rowid FROM agentbill_answers WHERE forget_at <= $1 ORDER BY forget_at LIMIT 8)", Now);
        List<(string Customer, long LastActivity, long Holds)>? due = null;
        using (var reader = Session.Query("SELECT customer, last_activity, holds FROM agentbill_customers WHERE next_check <= $1 ORDER BY next_check LIMIT 4", Now))
        {
            while (reader.Read())
            {
                (due ??= []).Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
            }
        }

        if (due is null)
        {
            return;
        }

        foreach (var (customer, lastActivity, holds) in due)
        {
            var idle = Now - lastActivity >= retentionTicks
                && holds == 0
                && Session.Scalar("SELECT 1 FROM agentbill_budgets WHERE customer = $1 LIMIT 1", customer) is null
                && Session.Scalar("SELECT 1 FROM agentbill_answers WHERE customer = $1 AND forget_at > $2 LIMIT 1", customer, Now) is null;
            if (idle)
            {
                Session.Execute("DELETE FROM agentbill_usage WHERE customer = $1", customer);
                Session.Execute("DELETE FROM agentbill_answers WHERE customer = $1", customer);
                Session.Execute("DELETE FROM agentbill_refusals WHERE customer = $1", customer);
                Session.Execute("DELETE FROM agentbill_customers WHERE customer = $1", customer);
                continue;
            }

            Session.Execute("DELETE FROM agentbill_usage WHERE customer = $1 AND period <> 'all' AND reserved = 0 AND touched <= $2", customer, Now - retentionTicks);
            var activeSince = AddTicks(lastActivity, retentionTicks) > Now ? lastActivity : Now;
            Session.Execute("UPDATE agentbill_customers SET next_check = $2 WHERE customer = $1", customer, AddTicks(activeSince, retentionTicks));
        }
    }

    // ---- Budgets ----

    /// <summary>The budgets set for a call's customer-side scopes: task, agent, customer (null where none is set).</summary>
    public (Budget? Task, Budget? Agent, Budget? Customer) BudgetsOf(in CallScopes scopes)
    {
        Budget? task = null, agent = null, customer = null;
        using var reader = Session.Query(
            "SELECT kind, limit_units, period FROM agentbill_budgets WHERE customer = $1 AND meter = $2 AND ((kind = 0 AND name = '') OR (kind = 1 AND name = $3) OR (kind = 2 AND name = $4))",
            scopes.CustomerId, (int)scopes.Meter, scopes.AgentId, scopes.TaskRef ?? string.Empty);
        while (reader.Read())
        {
            var (limit, period) = (reader.GetInt64(1), (BudgetPeriod)reader.GetInt32(2));
            switch ((BudgetScopeKind)reader.GetInt32(0))
            {
                case BudgetScopeKind.Customer:
                    customer = new Budget(BudgetScope.Customer(scopes.CustomerId), scopes.Meter, limit, period);
                    break;
                case BudgetScopeKind.Agent:
                    agent = new Budget(BudgetScope.Agent(scopes.CustomerId, scopes.AgentId), scopes.Meter, limit, period);
                    break;
                default:
                    if (scopes.TaskRef is { } taskRef)
                    {
                        task = new Budget(BudgetScope.Task(scopes.CustomerId, taskRef), scopes.Meter, limit, period);
                    }

                    break;
            }
        }

        return (task, agent, customer);
    }

    public Budget? GlobalBudget(UsageMeter meter) => GetBudget(new BudgetKey(BudgetScope.Global, meter));

    public Budget? GetBudget(BudgetKey key)
    {
        var scope = ScopeKey.Of(key);
        using var reader = Session.Query(
            "SELECT limit_units, period FROM agentbill_budgets WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4",
            scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter);
        return reader.Read() ? new Budget(key.Scope, key.Meter, reader.GetInt64(0), (BudgetPeriod)reader.GetInt32(1)) : null;
    }

    /// <summary>
    /// The budgets that apply to a call's scopes, most specific first (<see cref="BudgetRules.ScopesOf"/>), so a
    /// refusal names the most specific budget; the global one last when <paramref name="global"/> is given.
    /// </summary>
    public List<Applicable> Resolve(in CallScopes scopes, in PeriodKeys periods, BudgetLimit? defaultCustomerBudget, Budget? global)
    {
        var applicable = new List<Applicable>(4);
        Preload(scopes, periods);
        var (task, agent, customer) = BudgetsOf(scopes);
        if (scopes.Task is { } taskKey)
        {
            AddIfBudgeted(applicable, taskKey, task, null, periods);
        }

        AddIfBudgeted(applicable, scopes.Agent, agent, null, periods);
        AddIfBudgeted(applicable, scopes.Customer, customer, defaultCustomerBudget, periods);
        if (global is not null)
        {
            AddIfBudgeted(applicable, global.Key, global, null, periods);
        }

        return applicable;
    }

    private static void AddIfBudgeted(List<Applicable> applicable, BudgetKey key, Budget? stored, BudgetLimit? fallback, in PeriodKeys periods)
    {
        if (BudgetRules.TryGetLimit(key, stored, fallback, out var limit, out var period))
        {
            applicable.Add(new Applicable(key, ScopeKey.Of(key), period, periods.For(period), limit));
        }
    }

    // ---- Counters ----

    /// <summary>The counter of one scope in one period, loaded with the other periods of <paramref name="periods"/> the first time.</summary>
    public Counter CounterOf(in ScopeKey scope, string period, in PeriodKeys periods)
    {
        if (_counters.TryGetValue(new CounterKey(scope, period), out var counter))
        {
            return counter;
        }

        Load(scope, periods, period);
        return _counters[new CounterKey(scope, period)];
    }

    public Counter CounterOf(in Applicable entry, in PeriodKeys periods) => CounterOf(entry.Scope, entry.PeriodKey, periods);

    /// <summary>What a budget can still hold: its limit less its period's usage and the holds approved in its period.</summary>
    public long Available(in Applicable entry, in PeriodKeys periods)
    {
        var counter = CounterOf(entry, periods);
        return BudgetRules.Available(entry.Limit, counter.Used, counter.Reserved);
    }

    /// <summary>Holds (or, negative, gives back) units on a scope in the lifetime total and the day, week and month of <paramref name="periods"/>.</summary>
    public void Reserve(in ScopeKey scope, in PeriodKeys periods, long units)
    {
        foreach (var period in Names(periods))
        {
            var counter = CounterOf(scope, period, periods);
            counter.Reserved = units >= 0 ? BudgetRules.Add(counter.Reserved, units) : BudgetRules.Subtract(counter.Reserved, -units);
            counter.Touched = Now;
            counter.Dirty = true;
        }
    }

    /// <summary>Counts usage on a scope in the lifetime total and the day, week and month of <paramref name="periods"/>.</summary>
    /// <returns>Whether a counter saturated at <see cref="BudgetRules.MaxTotal"/>.</returns>
    public bool Charge(in ScopeKey scope, in PeriodKeys periods, long units)
    {
        var saturated = false;
        foreach (var period in Names(periods))
        {
            var counter = CounterOf(scope, period, periods);
            saturated |= units > BudgetRules.MaxTotal - counter.Used;
            counter.Used = BudgetRules.Add(counter.Used, units);
            counter.Touched = Now;
            counter.Dirty = true;
        }

        return saturated;
    }

    /// <summary>Writes every changed counter back, up to 16 rows a statement.</summary>
    public void Flush()
    {
        List<(CounterKey Key, Counter Counter)>? dirty = null;
        foreach (var (key, counter) in _counters)
        {
            if (counter.Dirty)
            {
                (dirty ??= []).Add((key, counter));
                counter.Dirty = false;
            }
        }

        for (var start = 0; dirty is not null && start < dirty.Count; start += UpsertRowsPerStatement)
        {
            var rows = Math.Min(UpsertRowsPerStatement, dirty.Count - start);
            var values = new object?[rows * 9];
            for (var i = 0; i < rows; i++)
            {
                var (key, counter) = dirty[start + i];
                var at = i * 9;
                values[at] = key.Scope.Customer;
                values[at + 1] = (int)key.Scope.Kind;
                values[at + 2] = key.Scope.Name;
                values[at + 3] = (int)key.Scope.Meter;
                values[at + 4] = key.Period;
                values[at + 5] = counter.Used;
                values[at + 6] = counter.Reserved;
                values[at + 7] = counter.Alerted;
                values[at + 8] = counter.Touched;
            }

            Session.Execute(UpsertSql[rows], values);
        }
    }

    /// <summary>
    /// Loads the counters of a call's customer-side scopes (customer, agent, task) in the lifetime total and the day,
    /// week and month of <paramref name="periods"/> in one statement; those already loaded are kept as they are.
    /// </summary>
    public void Preload(in CallScopes scopes, in PeriodKeys periods)
    {
        var names = Names(periods);
        var keys = new List<CounterKey>(12);
        foreach (var scope in scopes.Task is { } task ? [ScopeKey.Of(scopes.Customer), ScopeKey.Of(scopes.Agent), ScopeKey.Of(task)] : new[] { ScopeKey.Of(scopes.Customer), ScopeKey.Of(scopes.Agent) })
        {
            foreach (var name in names)
            {
                var key = new CounterKey(scope, name);
                if (!_counters.TryGetValue(key, out var known) || !known.Loaded)
                {
                    keys.Add(key);
                }
            }
        }

        if (keys.Count == 0)
        {
            return;
        }

        foreach (var key in keys)
        {
            _counters.TryAdd(key, new Counter { Touched = Now });
        }

        using (var reader = Session.Query(
            "SELECT kind, name, period, used, reserved, alerted, touched FROM agentbill_usage WHERE customer = $1 AND meter = $2 " +
            "AND ((kind = 0 AND name = '') OR (kind = 1 AND name = $3) OR (kind = 2 AND name = $4)) AND period IN ($5, $6, $7, $8)",
            scopes.CustomerId, (int)scopes.Meter, scopes.AgentId, scopes.TaskRef ?? string.Empty, names[0], names[1], names[2], names[3]))
        {
            while (reader.Read())
            {
                var scope = new ScopeKey(scopes.CustomerId, (BudgetScopeKind)reader.GetInt32(0), reader.GetString(1), scopes.Meter);
                if (_counters.TryGetValue(new CounterKey(scope, reader.GetString(2)), out var counter) && !counter.Dirty && !counter.Loaded)
                {
                    (counter.Used, counter.Reserved, counter.Alerted, counter.Touched) = (reader.GetInt64(3), reader.GetInt64(4), reader.GetInt32(5), reader.GetInt64(6));
                }
            }
        }

        foreach (var key in keys)
        {
            _counters[key].Loaded = true;
        }
    }

    private const int UpsertRowsPerStatement = 16;

    private static readonly string[] UpsertSql = Enumerable.Range(0, UpsertRowsPerStatement + 1).Select(rows => rows == 0 ? string.Empty :
        "INSERT INTO agentbill_usage (customer, kind, name, meter, period, used, reserved, alerted, touched) VALUES " +
        string.Join(", ", Enumerable.Range(0, rows).Select(row => "(" + string.Join(", ", Enumerable.Range((row * 9) + 1, 9).Select(i => "$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")")) +
        " ON CONFLICT (customer, kind, name, meter, period) DO UPDATE SET used = excluded.used, reserved = excluded.reserved, alerted = excluded.alerted, touched = excluded.touched").ToArray();

    private void Load(in ScopeKey scope, in PeriodKeys periods, string extra)
    {
        var names = Names(periods);
        foreach (var name in names.Append(extra))
        {
            _counters.TryAdd(new CounterKey(scope, name), new Counter { Touched = Now });
        }

        using var reader = Session.Query(
            "SELECT period, used, reserved, alerted, touched FROM agentbill_usage WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4 AND period IN ($5, $6, $7, $8, $9)",
            scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter, names[0], names[1], names[2], names[3], extra);
        while (reader.Read())
        {
            var counter = _counters[new CounterKey(scope, reader.GetString(0))];
            if (!counter.Dirty && !counter.Loaded)
            {
                (counter.Used, counter.Reserved, counter.Alerted, counter.Touched) = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4));
            }
        }

        foreach (var name in names.Append(extra))
        {
            _counters[new CounterKey(scope, name)].Loaded = true;
        }
    }

    private static string[] Names(in PeriodKeys periods) => [PeriodKeys.Lifetime, periods.Day, periods.Week, periods.Month];

    // ---- Holds ----

    public HoldRow? FindHold(string customer, string id)
    {
        using var reader = Session.Query(HoldColumns + " WHERE customer = $1 AND id = $2 AND expires > $3", customer, id, Now);
        return reader.Read() ? HoldRow.Read(reader, customer) : null;
    }

    /// <summary>Whether a hold with this id is open; one past its expiry and not yet returned is returned now, so the id can be used again.</summary>
    public bool HoldIdInUse(string customer, string id)
    {
        HoldRow? hold;
        using (var reader = Session.Query(HoldColumns + " WHERE customer = $1 AND id = $2", customer, id))
        {
            hold = reader.Read() ? HoldRow.Read(reader, customer) : null;
        }

        if (hold is null)
        {
            return false;
        }

        if (hold.Expires > Now)
        {
            return true;
        }

        ReturnHold(hold);
        return false;
    }

    /// <summary>The oldest open hold of an agent, meter and task, which a record without a reservation id settles.</summary>
    public HoldRow? OldestHold(string customer, string agent, UsageMeter meter, string? task)
    {
        using var reader = Session.Query(HoldColumns + " WHERE customer = $1 AND agent = $2 AND meter = $3 AND task IS $4 AND expires > $5 ORDER BY seq LIMIT 1", customer, agent, (int)meter, task, Now);
        return reader.Read() ? HoldRow.Read(reader, customer) : null;
    }

    public List<HoldRow> Holds(string customer, string? after, int limit)
    {
        var holds = new List<HoldRow>();
        using var reader = after is null
            ? Session.Query(HoldColumns + " WHERE customer = $1 AND expires > $3 ORDER BY id LIMIT $2", customer, limit, Now)
            : Session.Query(HoldColumns + " WHERE customer = $1 AND id > $2 AND expires > $4 ORDER BY id LIMIT $3", customer, after, limit, Now);
        while (reader.Read())
        {
            holds.Add(HoldRow.Read(reader, customer));
        }

        return holds;
    }

    public long HoldCount(string customer) => Session.Scalar("SELECT holds FROM agentbill_customers WHERE customer = $1", customer) is long count ? count : 0;

    /// <summary>Opens a hold and holds its units on its scopes (and the global scope when it holds a global share).</summary>
    public HoldRow OpenHold(in LedgerCall call, string id, long units, long expires, bool global)
    {
        var seq = (long)Session.Scalar("UPDATE agentbill_customers SET seq = seq + 1, holds = holds + 1 WHERE customer = $1 RETURNING seq", call.CustomerId)!;
        var hold = new HoldRow(call.CustomerId, id, seq, call.AgentId, call.TaskRef, call.Meter, units, expires, call.Periods, global);
        Session.Execute(
            "INSERT INTO agentbill_holds (customer, id, seq, agent, task, meter, units, expires, day, week, month, global) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            hold.Customer, hold.Id, seq, hold.Agent, hold.Task, (int)hold.Meter, units, expires, hold.Periods.Day, hold.Periods.Week, hold.Periods.Month, global ? 1 : 0);
        HoldOnScopes(hold, units);
        return hold;
    }

    /// <summary>Holds (or, negative, gives back) units on every scope the hold holds, in the periods it was approved in.</summary>
    public void HoldOnScopes(HoldRow hold, long units)
    {
        var scopes = hold.Scopes;
        Preload(scopes, hold.Periods);
        Reserve(ScopeKey.Of(scopes.Customer), hold.Periods, units);
        Reserve(ScopeKey.Of(scopes.Agent), hold.Periods, units);
        if (scopes.Task is { } task)
        {
            Reserve(ScopeKey.Of(task), hold.Periods, units);
        }

        if (hold.Global)
        {
            Reserve(ScopeKey.Global(hold.Meter), hold.Periods, units);
        }
    }

    public void UpdateHold(HoldRow hold)
        => Session.Execute("UPDATE agentbill_holds SET units = $3, expires = $4 WHERE customer = $1 AND id = $2", hold.Customer, hold.Id, hold.Units, hold.Expires);

    /// <summary>Deletes a hold without giving its units back (the caller does, or settles them).</summary>
    public void CloseHold(HoldRow hold)
    {
        Session.Execute("DELETE FROM agentbill_holds WHERE customer = $1 AND id = $2", hold.Customer, hold.Id);
        Session.Execute("UPDATE agentbill_customers SET holds = holds - 1 WHERE customer = $1", hold.Customer);
    }

    /// <summary>Closes a hold and gives its units back to every scope it held.</summary>
    public void ReturnHold(HoldRow hold)
    {
        CloseHold(hold);
        HoldOnScopes(hold, -hold.Units);
    }

    /// <summary>
    /// Returns the units of the customer's holds whose expiry has passed, at most 256 per operation (oldest first), so
    /// an operation's work is bounded whatever one customer holds. A hold past its expiry and not yet returned is
    /// no longer open (no operation finds it), and its units only ever count as held until a later operation returns them.
    /// </summary>
    public void ExpireCustomer(string customer)
    {
        List<HoldRow>? expired = null;
        using (var reader = Session.Query(HoldColumns + " WHERE customer = $1 AND expires <= $2 ORDER BY expires LIMIT 256", customer, Now))
        {
            while (reader.Read())
            {
                (expired ??= []).Add(HoldRow.Read(reader, customer));
            }
        }

        if (expired is not null)
        {
            foreach (var hold in expired)
            {
                ReturnHold(hold);
            }
        }
    }

    /// <summary>Returns the units of holds holding a global share whose expiry has passed, whoever's they are: at most 1,024 per operation.</summary>
    public void SweepGlobal()
    {
        List<HoldRow>? expired = null;
        using (var reader = Session.Query("SELECT id, seq, agent, task, meter, units, expires, day, week, month, global, customer FROM agentbill_holds WHERE global = 1 AND expires <= $1 ORDER BY expires LIMIT 1024", Now))
        {
            while (reader.Read())
            {
                (expired ??= []).Add(HoldRow.Read(reader, reader.GetString(11)));
            }
        }

        if (expired is not null)
        {
            foreach (var hold in expired)
            {
                ReturnHold(hold);
            }
        }
    }

    /// <summary>When the first open hold that may free a budget returns its units: the customer's, or any global share for a global budget.</summary>
    public DateTimeOffset? EarliestExpiry(string customer, bool global)
    {
        var ticks = global
            ? Session.Scalar("SELECT min(expires) FROM agentbill_holds WHERE global = 1")
            : Session.Scalar("SELECT min(expires) FROM agentbill_holds WHERE customer = $1", customer);
        return ticks is long t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    private const string HoldColumns = "SELECT id, seq, agent, task, meter, units, expires, day, week, month, global FROM agentbill_holds";

    // ---- Answers ----

    /// <summary>The remembered answer under a key, while its window lasts.</summary>
    public (string Fingerprint, string Outcome)? Recall(string customer, string key)
    {
        using var reader = Session.Query("SELECT fingerprint, outcome FROM agentbill_answers WHERE customer = $1 AND key = $2 AND forget_at > $3", customer, key, Now);
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    public void Remember(string customer, string key, string fingerprint, string outcome, long forgetAt)
        => Session.Execute(
            "INSERT INTO agentbill_answers (customer, key, fingerprint, outcome, forget_at) VALUES ($1, $2, $3, $4, $5) " +
            "ON CONFLICT (customer, key) DO UPDATE SET fingerprint = excluded.fingerprint, outcome = excluded.outcome, forget_at = excluded.forget_at",
            customer, key, fingerprint, outcome, forgetAt);

    // ---- Reports ----

    /// <summary>Adds one to an activity total (<c>approved</c> or <c>refused</c>).</summary>
    public void Count(string activity) => Session.Execute("UPDATE agentbill_activity SET count = count + 1 WHERE name = $1", activity);

    /// <summary>Logs a refusal the store decided, counts it, and drops the customer's refusals beyond the newest <see cref="ReportRules.RefusalsKeptPerCustomer"/>.</summary>
    public void Refused(string customer, string agent, string? task, UsageMeter meter, in ReserveOutcome refusal, long units)
    {
        var scope = refusal.RefusedBy?.Scope;
        Session.Execute(
            "INSERT INTO agentbill_refusals (customer, at, agent, task, meter, reason, scope_kind, scope_name, requested, remaining) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            customer, Now, agent, task, (int)meter, (int)refusal.Reason, scope is { } s ? (int)s.Kind : null, scope?.Name, units, refusal.Refusal is null ? null : refusal.RemainingUnits);
        Session.Execute(
            "DELETE FROM agentbill_refusals WHERE customer = $1 AND id <= (SELECT id FROM agentbill_refusals WHERE customer = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
            customer, ReportRules.RefusalsKeptPerCustomer);
        Count("refused");
    }

    /// <summary>Returns the units of up to <paramref name="limit"/> holds past their expiry, whoever's they are, oldest first.</summary>
    public int ReleaseExpired(int limit)
    {
        var expired = new List<HoldRow>();
        using (var reader = Session.Query("SELECT id, seq, agent, task, meter, units, expires, day, week, month, global, customer FROM agentbill_holds WHERE expires <= $1 ORDER BY expires LIMIT $2", Now, limit))
        {
            while (reader.Read())
            {
                expired.Add(HoldRow.Read(reader, reader.GetString(11)));
            }
        }

        foreach (var hold in expired)
        {
            ReturnHold(hold);
        }

        return expired.Count;
    }

    private static long AddTicks(long ticks, long more) => more > DateTimeOffset.MaxValue.UtcTicks - ticks ? DateTimeOffset.MaxValue.UtcTicks : ticks + more;
}
