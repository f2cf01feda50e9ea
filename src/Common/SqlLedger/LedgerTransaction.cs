using AgentBill.Ledger;

namespace AgentBill.SqlLedger;

/// <summary>
/// The work of one operation inside its transaction: the counters it reads are loaded once, changed in memory, and
/// written back before the commit. Holds, budgets and answers are read and written directly. The rows of a customer
/// are only read for a change after that customer is locked (<see cref="SqlDialect"/>), and the global scope's after
/// the global lock, so a store that runs transactions side by side keeps every invariant one at a time would.
/// </summary>
/// <remarks>
/// <see cref="Now"/> is the deciding clock's time: the call's own where the client decides (SQLite, or a test's
/// fake clock), the database's where it does; then the client's times (expiries, windows) are moved by the
/// difference (<see cref="At"/>) and the periods are chosen by the database's time (<see cref="PeriodsOf"/>).
/// </remarks>
/// <param name="session">The operation's connection, in its transaction.</param>
/// <param name="now">The deciding clock's time, in UTC ticks.</param>
/// <param name="clientNow">The call's own time, in UTC ticks.</param>
/// <param name="storeClockSkew">
/// <see langword="null"/> where the call's clock decides; where the store's does, what to throw for a client whose
/// clock is so far from it (more than a day) that its period candidates cannot name the period the store is in.
/// </param>
/// <param name="retentionTicks">How long usage stays after it last changed.</param>
internal sealed partial class LedgerTransaction(ISqlSession session, long now, long clientNow, Func<TimeSpan, Exception>? storeClockSkew, long retentionTicks)
{
    private readonly Dictionary<CounterKey, Counter> _counters = [];
    private readonly HashSet<string> _locked = new(StringComparer.Ordinal);
    private bool _globalLocked;

    public ISqlSession Session { get; } = session;

    /// <summary>Gets the deciding clock's time, in UTC ticks.</summary>
    public long Now { get; } = now;

    // ---- Time ----

    /// <summary>A time the client computed from its own now, moved to the deciding clock.</summary>
    public long At(DateTimeOffset clientTime) => storeClockSkew is not null ? AddTicks(clientTime.UtcTicks, Now - clientNow) : clientTime.UtcTicks;

    /// <summary>The periods a call counts in: picked by the store's time among the client's candidates, or the client's own.</summary>
    /// <exception cref="Exception">What <c>storeClockSkew</c> makes, when the client's candidates do not reach the store's day: nothing was done.</exception>
    public PeriodKeys PeriodsOf(in LedgerCall call)
    {
        if (storeClockSkew is null || call.Choices is not { } choices)
        {
            return call.Periods;
        }

        // The candidates name the day before, the client's day and the day after: a store's time outside them would
        // be counted in a wrong period (a neighbour's name), so the call is refused before anything is done.
        var at = new DateTimeOffset(Now, TimeSpan.Zero);
        var day = choices.Day;
        var length = day.End - day.Start;
        return at >= day.Start - length && at < day.End + length
            ? choices.At(at)
            : throw storeClockSkew(new TimeSpan(clientNow - Now));
    }

    // ---- Customers, locks, housekeeping ----

    /// <summary>
    /// What every operation on a customer's holds does first: the customer made when absent, locked, and marked active
    /// now, a bounded amount of cleaning, and the customer's holds past their time returned.
    /// </summary>
    public async ValueTask BeginAsync(string customer)
    {
        Touch(customer);
        await HousekeepAsync().ConfigureAwait(false);
        await ExpireCustomerAsync(customer).ConfigureAwait(false);
    }

    /// <summary>Makes the customer's row when absent and marks it active now; the upsert locks the row where rows are locked.</summary>
    public void Touch(string customer)
    {
        Session.Enqueue(
            "INSERT INTO agentbill_customers (customer, last_activity, next_check, holds, seq) VALUES ($1, $2, $3, 0, 0) ON CONFLICT (customer) DO UPDATE SET last_activity = excluded.last_activity",
            customer, Now, AddTicks(Now, retentionTicks));
        _locked.Add(customer);
    }

    /// <summary>Makes the customer's row for an admin call, which carries no time: judged at the next operation.</summary>
    public void TouchWithoutTime(string customer)
        => Session.Enqueue("INSERT INTO agentbill_customers (customer, last_activity, next_check, holds, seq) VALUES ($1, 0, 0, 0, 0) ON CONFLICT (customer) DO NOTHING", customer);

    /// <summary>Locks a known customer's row (waiting for it); false for an unknown customer.</summary>
    public ValueTask<bool> LockCustomerAsync(string customer) => LockAsync(customer, Session.Dialect.LockCustomer);

    /// <summary>Locks another customer's row when no one holds it; false when someone does (the work is left for later) or the customer is gone.</summary>
    private ValueTask<bool> TryLockCustomerAsync(string customer) => LockAsync(customer, Session.Dialect.TryLockCustomer);

    /// <summary>Locks a customer's row by the dialect's query, once per transaction; false when the query read no row.</summary>
    private async ValueTask<bool> LockAsync(string customer, string sql)
    {
        if (_locked.Contains(customer))
        {
            return true;
        }

        if (await Session.ScalarAsync(sql, customer).ConfigureAwait(false) is null)
        {
            return false;
        }

        _locked.Add(customer);
        return true;
    }

    /// <summary>Takes the global budgets' lock for the rest of the transaction, before any global counter is read for a change.</summary>
    public void LockGlobal()
    {
        if (!_globalLocked && Session.Dialect.LockGlobal is { } sql)
        {
            Session.Enqueue(sql);
        }

        _globalLocked = true;
    }

    /// <summary>
    /// A bounded amount of cleaning: a few answers past their window, and a few customers due for a look — an idle
    /// one (no budget, hold or live answer, no activity for the retention) is deleted with its usage; another has its
    /// past periods untouched for the retention deleted and is looked at again one retention later. A customer someone
    /// else is working on is left for a later look.
    /// </summary>
    public async ValueTask HousekeepAsync()
    {
        ForgetAnswers();
        List<(string Customer, long LastActivity, long Holds)>? due;
        var reader = await Session.QueryAsync(Session.Dialect.DueCustomers, Now).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            due = await ReadDueAsync(reader).ConfigureAwait(false);
        }

        await CleanAsync(due).ConfigureAwait(false);
    }

    /// <summary>Deletes a few answers past their window.</summary>
    private void ForgetAnswers()
        => Session.Enqueue("DELETE FROM agentbill_answers WHERE (customer, key) IN (SELECT customer, key FROM agentbill_answers WHERE forget_at <= $1 ORDER BY forget_at LIMIT 8)", Now);

    private static async ValueTask<List<(string Customer, long LastActivity, long Holds)>?> ReadDueAsync(System.Data.Common.DbDataReader reader)
    {
        List<(string Customer, long LastActivity, long Holds)>? due = null;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            (due ??= []).Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return due;
    }

    /// <summary>Looks at the customers due for housekeeping (their rows are locked by the query that found them).</summary>
    private async ValueTask CleanAsync(List<(string Customer, long LastActivity, long Holds)>? due)
    {
        if (due is null)
        {
            return;
        }

        foreach (var (customer, lastActivity, holds) in due)
        {
            _locked.Add(customer);
            var idle = Now - lastActivity >= retentionTicks
                && holds == 0
                && await Session.ScalarAsync("SELECT 1 FROM agentbill_budgets WHERE customer = $1 LIMIT 1", customer).ConfigureAwait(false) is null
                && await Session.ScalarAsync("SELECT 1 FROM agentbill_answers WHERE customer = $1 AND forget_at > $2 LIMIT 1", customer, Now).ConfigureAwait(false) is null;
            if (idle)
            {
                if (Session.Dialect.RetireCustomer is { } retire)
                {
                    Session.Enqueue(retire, customer);
                }

                Session.Enqueue("DELETE FROM agentbill_usage WHERE customer = $1", customer);
                Session.Enqueue("DELETE FROM agentbill_answers WHERE customer = $1", customer);
                Session.Enqueue("DELETE FROM agentbill_refusals WHERE customer = $1", customer);
                Session.Enqueue("DELETE FROM agentbill_customers WHERE customer = $1", customer);
                continue;
            }

            Session.Enqueue("DELETE FROM agentbill_usage WHERE customer = $1 AND period <> 'all' AND reserved = 0 AND touched <= $2", customer, Now - retentionTicks);
            var activeSince = AddTicks(lastActivity, retentionTicks) > Now ? lastActivity : Now;
            Session.Enqueue("UPDATE agentbill_customers SET next_check = $2 WHERE customer = $1", customer, AddTicks(activeSince, retentionTicks));
        }
    }

    // ---- Budgets ----

    /// <summary>The budgets set for a call's customer-side scopes: task, agent, customer (null where none is set).</summary>
    public async ValueTask<(Budget? Task, Budget? Agent, Budget? Customer)> BudgetsOfAsync(CallScopes scopes)
    {
        if (KnownBudgets(scopes) is { } known)
        {
            return known;
        }

        Budget? task = null, agent = null, customer = null;
        var reader = await Session.QueryAsync(
            "SELECT kind, limit_units, period FROM agentbill_budgets WHERE customer = $1 AND meter = $2 AND ((kind = 0 AND name = '') OR (kind = 1 AND name = $3) OR (kind = 2 AND name = $4))",
            scopes.CustomerId, (int)scopes.Meter, scopes.AgentId, scopes.TaskRef ?? string.Empty).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
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

    public ValueTask<Budget?> GlobalBudgetAsync(UsageMeter meter) => GetBudgetAsync(new BudgetKey(BudgetScope.Global, meter));

    public async ValueTask<Budget?> GetBudgetAsync(BudgetKey key)
    {
        var scope = ScopeKey.Of(key);
        if (_budgets.TryGetValue(scope, out var known))
        {
            return known;
        }

        var reader = await Session.QueryAsync(
            "SELECT limit_units, period FROM agentbill_budgets WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4",
            scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? new Budget(key.Scope, key.Meter, reader.GetInt64(0), (BudgetPeriod)reader.GetInt32(1)) : null;
    }

    /// <summary>
    /// The budgets that apply to a call's scopes, most specific first (<see cref="BudgetRules.ScopesOf"/>), so a
    /// refusal names the most specific budget; the global one last when <paramref name="global"/> is given.
    /// </summary>
    public async ValueTask<List<Applicable>> ResolveAsync(CallScopes scopes, PeriodKeys periods, BudgetLimit? defaultCustomerBudget, Budget? global)
    {
        var applicable = new List<Applicable>(4);
        await PreloadAsync(scopes, periods).ConfigureAwait(false);
        var (task, agent, customer) = await BudgetsOfAsync(scopes).ConfigureAwait(false);
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
    public async ValueTask<Counter> CounterOfAsync(ScopeKey scope, string period, PeriodKeys periods)
    {
        if (_counters.TryGetValue(new CounterKey(scope, period), out var counter))
        {
            return counter;
        }

        await LoadAsync(scope, periods, period).ConfigureAwait(false);
        return _counters[new CounterKey(scope, period)];
    }

    public ValueTask<Counter> CounterOfAsync(Applicable entry, PeriodKeys periods) => CounterOfAsync(entry.Scope, entry.PeriodKey, periods);

    /// <summary>What a budget can still hold: its limit less its period's usage and the holds approved in its period.</summary>
    public async ValueTask<long> AvailableAsync(Applicable entry, PeriodKeys periods)
    {
        var counter = await CounterOfAsync(entry, periods).ConfigureAwait(false);
        return BudgetRules.Available(entry.Limit, counter.Used, counter.Reserved);
    }

    /// <summary>Holds (or, negative, gives back) units on a scope in the lifetime total and the day, week and month of <paramref name="periods"/>.</summary>
    public async ValueTask ReserveAsync(ScopeKey scope, PeriodKeys periods, long units)
    {
        foreach (var period in Names(periods))
        {
            var counter = await CounterOfAsync(scope, period, periods).ConfigureAwait(false);
            counter.Reserved = units >= 0 ? BudgetRules.Add(counter.Reserved, units) : BudgetRules.Subtract(counter.Reserved, -units);
            counter.Touched = Now;
            counter.Dirty = true;
        }
    }

    /// <summary>Counts usage on a scope in the lifetime total and the day, week and month of <paramref name="periods"/>.</summary>
    /// <returns>Whether a counter saturated at <see cref="BudgetRules.MaxTotal"/>.</returns>
    public async ValueTask<bool> ChargeAsync(ScopeKey scope, PeriodKeys periods, long units)
    {
        var saturated = false;
        foreach (var period in Names(periods))
        {
            var counter = await CounterOfAsync(scope, period, periods).ConfigureAwait(false);
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

            Session.Enqueue(UpsertSql[rows], values);
        }
    }

    /// <summary>
    /// Loads the counters of a call's customer-side scopes (customer, agent, task) in the lifetime total and the day,
    /// week and month of <paramref name="periods"/> in one statement; those already loaded are kept as they are. The
    /// caller has locked the customer.
    /// </summary>
    public async ValueTask PreloadAsync(CallScopes scopes, PeriodKeys periods)
    {
        var keys = PrepareLoad(scopes, periods);
        if (keys.Count == 0)
        {
            return;
        }

        var (sql, values) = UsageQuery(scopes, periods);
        var reader = await Session.QueryAsync(sql, values).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await AbsorbUsageAsync(reader, scopes).ConfigureAwait(false);
        }

        MarkLoaded(keys);
    }

    /// <summary>The counters of a call's scopes not loaded yet, made (empty) so a read can fill them.</summary>
    private List<CounterKey> PrepareLoad(in CallScopes scopes, in PeriodKeys periods)
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

        foreach (var key in keys)
        {
            _counters.TryAdd(key, new Counter { Touched = Now });
        }

        return keys;
    }

    /// <summary>The query of the usage rows of a call's customer-side scopes in the lifetime total and the periods given.</summary>
    private static (string Sql, object?[] Values) UsageQuery(in CallScopes scopes, in PeriodKeys periods)
        => ("SELECT kind, name, period, used, reserved, alerted, touched FROM agentbill_usage WHERE customer = $1 AND meter = $2 " +
            "AND ((kind = 0 AND name = '') OR (kind = 1 AND name = $3) OR (kind = 2 AND name = $4)) AND period IN ($5, $6, $7, $8)",
            [scopes.CustomerId, (int)scopes.Meter, scopes.AgentId, scopes.TaskRef ?? string.Empty, PeriodKeys.Lifetime, periods.Day, periods.Week, periods.Month]);

    /// <summary>Fills the counters a usage query read; those changed or loaded already are kept as they are.</summary>
    private async ValueTask AbsorbUsageAsync(System.Data.Common.DbDataReader reader, CallScopes scopes)
    {
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var scope = new ScopeKey(scopes.CustomerId, (BudgetScopeKind)reader.GetInt32(0), reader.GetString(1), scopes.Meter);
            if (_counters.TryGetValue(new CounterKey(scope, reader.GetString(2)), out var counter) && !counter.Dirty && !counter.Loaded)
            {
                (counter.Used, counter.Reserved, counter.Alerted, counter.Touched) = (reader.GetInt64(3), reader.GetInt64(4), reader.GetInt32(5), reader.GetInt64(6));
            }
        }
    }

    private void MarkLoaded(List<CounterKey> keys)
    {
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

    private async ValueTask LoadAsync(ScopeKey scope, PeriodKeys periods, string extra)
    {
        // A global counter is shared by every customer: read for a change only under the global lock.
        if (scope.Kind == BudgetScopeKind.Global)
        {
            LockGlobal();
        }

        var names = Names(periods);
        foreach (var name in names.Append(extra))
        {
            _counters.TryAdd(new CounterKey(scope, name), new Counter { Touched = Now });
        }

        var reader = await Session.QueryAsync(
            "SELECT period, used, reserved, alerted, touched FROM agentbill_usage WHERE customer = $1 AND kind = $2 AND name = $3 AND meter = $4 AND period IN ($5, $6, $7, $8, $9)",
            scope.Customer, (int)scope.Kind, scope.Name, (int)scope.Meter, names[0], names[1], names[2], names[3], extra).ConfigureAwait(false);

        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                var counter = _counters[new CounterKey(scope, reader.GetString(0))];
                if (!counter.Dirty && !counter.Loaded)
                {
                    (counter.Used, counter.Reserved, counter.Alerted, counter.Touched) = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4));
                }
            }
        }

        foreach (var name in names.Append(extra))
        {
            _counters[new CounterKey(scope, name)].Loaded = true;
        }
    }

    private static string[] Names(in PeriodKeys periods) => [PeriodKeys.Lifetime, periods.Day, periods.Week, periods.Month];

    // ---- Holds ----

    public async ValueTask<HoldRow?> FindHoldAsync(string customer, string id)
    {
        if (KnownHold(customer, id, out var known))
        {
            return known is not null && known.Expires > Now ? known : null;
        }

        var reader = await Session.QueryAsync(HoldColumns + " WHERE customer = $1 AND id = $2 AND expires > $3", customer, id, Now).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? HoldRow.Read(reader, customer) : null;
    }

    /// <summary>Whether a hold with this id is open; one past its expiry and not yet returned is returned now, so the id can be used again.</summary>
    public async ValueTask<bool> HoldIdInUseAsync(string customer, string id)
    {
        if (!KnownHold(customer, id, out var hold))
        {
            hold = await ReadHoldAsync(customer, id).ConfigureAwait(false);
        }

        if (hold is null)
        {
            return false;
        }

        if (hold.Expires > Now)
        {
            return true;
        }

        await ReturnHoldAsync(hold).ConfigureAwait(false);
        return false;
    }

    /// <summary>A hold by id, open or past its expiry.</summary>
    private async ValueTask<HoldRow?> ReadHoldAsync(string customer, string id)
    {
        HoldRow? hold;
        var reader = await Session.QueryAsync(HoldColumns + " WHERE customer = $1 AND id = $2", customer, id).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            hold = await reader.ReadAsync().ConfigureAwait(false) ? HoldRow.Read(reader, customer) : null;
        }

        return hold;
    }

    /// <summary>The oldest open hold of an agent, meter and task, which a record without a reservation id settles.</summary>
    public async ValueTask<HoldRow?> OldestHoldAsync(string customer, string agent, UsageMeter meter, string? task)
    {
        var reader = await Session.QueryAsync(HoldColumns + " WHERE customer = $1 AND agent = $2 AND meter = $3 AND task IS NOT DISTINCT FROM $4 AND expires > $5 ORDER BY seq LIMIT 1", customer, agent, (int)meter, task, Now).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? HoldRow.Read(reader, customer) : null;
    }

    public async ValueTask<List<HoldRow>> HoldsAsync(string customer, string? after, int limit)
    {
        var holds = new List<HoldRow>();
        var reader = after is null
            ? await Session.QueryAsync(HoldColumns + " WHERE customer = $1 AND expires > $3 ORDER BY id LIMIT $2", customer, limit, Now).ConfigureAwait(false)
            : await Session.QueryAsync(HoldColumns + " WHERE customer = $1 AND id > $2 AND expires > $4 ORDER BY id LIMIT $3", customer, after, limit, Now).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            holds.Add(HoldRow.Read(reader, customer));
        }

        return holds;
    }

    public async ValueTask<long> HoldCountAsync(string customer)
        => KnownHoldCount(customer) is { } known ? known : await Session.ScalarAsync("SELECT holds FROM agentbill_customers WHERE customer = $1", customer).ConfigureAwait(false) is long count ? count : 0;

    /// <summary>Opens a hold and holds its units on its scopes (and the global scope when it holds a global share).</summary>
    public async ValueTask<HoldRow> OpenHoldAsync(LedgerCall call, PeriodKeys periods, string id, long units, long expires, bool global)
    {
        _holdsChanged = true;

        // The customer's next sequence number, taken in the database: the hold's order among its agent's (the oldest is
        // settled first) never needs a round trip back.
        Session.Enqueue("UPDATE agentbill_customers SET seq = seq + 1, holds = holds + 1 WHERE customer = $1", call.CustomerId);
        var hold = new HoldRow(call.CustomerId, id, 0, call.AgentId, call.TaskRef, call.Meter, units, expires, periods, global);
        Session.Enqueue(
            "INSERT INTO agentbill_holds (customer, id, seq, agent, task, meter, units, expires, day, week, month, global) VALUES ($1, $2, (SELECT seq FROM agentbill_customers WHERE customer = $1), $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            hold.Customer, hold.Id, hold.Agent, hold.Task, (int)hold.Meter, units, expires, hold.Periods.Day, hold.Periods.Week, hold.Periods.Month, global ? 1 : 0);
        await HoldOnScopesAsync(hold, units).ConfigureAwait(false);
        return hold;
    }

    /// <summary>Holds (or, negative, gives back) units on every scope the hold holds, in the periods it was approved in.</summary>
    public async ValueTask HoldOnScopesAsync(HoldRow hold, long units)
    {
        var scopes = hold.Scopes;
        await PreloadAsync(scopes, hold.Periods).ConfigureAwait(false);
        await ReserveAsync(ScopeKey.Of(scopes.Customer), hold.Periods, units).ConfigureAwait(false);
        await ReserveAsync(ScopeKey.Of(scopes.Agent), hold.Periods, units).ConfigureAwait(false);
        if (scopes.Task is { } task)
        {
            await ReserveAsync(ScopeKey.Of(task), hold.Periods, units).ConfigureAwait(false);
        }

        if (hold.Global)
        {
            await ReserveAsync(ScopeKey.Global(hold.Meter), hold.Periods, units).ConfigureAwait(false);
        }
    }

    public void UpdateHold(HoldRow hold)
    {
        _holdsChanged = true;
        Session.Enqueue("UPDATE agentbill_holds SET units = $3, expires = $4 WHERE customer = $1 AND id = $2", hold.Customer, hold.Id, hold.Units, hold.Expires);
    }

    /// <summary>Deletes a hold without giving its units back (the caller does, or settles them).</summary>
    public void CloseHold(HoldRow hold)
    {
        _holdsChanged = true;
        Session.Enqueue("DELETE FROM agentbill_holds WHERE customer = $1 AND id = $2", hold.Customer, hold.Id);
        Session.Enqueue("UPDATE agentbill_customers SET holds = holds - 1 WHERE customer = $1", hold.Customer);
    }

    /// <summary>Closes a hold and gives its units back to every scope it held.</summary>
    public async ValueTask ReturnHoldAsync(HoldRow hold)
    {
        CloseHold(hold);
        await HoldOnScopesAsync(hold, -hold.Units).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns the units of the customer's holds whose expiry has passed, at most 256 per operation (oldest first), so
    /// an operation's work is bounded whatever one customer holds. A hold past its expiry and not yet returned is
    /// no longer open (no operation finds it), and its units only ever count as held until a later operation returns
    /// them. The caller has locked the customer.
    /// </summary>
    public async ValueTask ExpireCustomerAsync(string customer)
    {
        List<HoldRow>? expired;
        var reader = await Session.QueryAsync(ExpiredHoldsSql, customer, Now).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            expired = await ReadHoldsAsync(reader, customer).ConfigureAwait(false);
        }

        await ReturnAllAsync(expired).ConfigureAwait(false);
    }

    private const string ExpiredHoldsSql = HoldColumns + " WHERE customer = $1 AND expires <= $2 ORDER BY expires LIMIT 256";

    private static async ValueTask<List<HoldRow>?> ReadHoldsAsync(System.Data.Common.DbDataReader reader, string customer)
    {
        List<HoldRow>? holds = null;
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            (holds ??= []).Add(HoldRow.Read(reader, customer));
        }

        return holds;
    }

    private async ValueTask ReturnAllAsync(List<HoldRow>? expired)
    {
        if (expired is not null)
        {
            foreach (var hold in expired)
            {
                await ReturnHoldAsync(hold).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Returns the units of holds holding a global share whose expiry has passed, whoever's they are: at most 1,024 per operation.</summary>
    public async ValueTask SweepGlobalAsync()
    {
        LockGlobal();
        await ReturnExpiredAsync("SELECT customer, id FROM agentbill_holds WHERE global = 1 AND expires <= $1 ORDER BY expires LIMIT $2", 1024).ConfigureAwait(false);
    }

    /// <summary>Returns the units of up to <paramref name="limit"/> holds past their expiry, whoever's they are, oldest first.</summary>
    public ValueTask<int> ReleaseExpiredAsync(int limit)
        => ReturnExpiredAsync("SELECT customer, id FROM agentbill_holds WHERE expires <= $1 ORDER BY expires LIMIT $2", limit);

    /// <summary>
    /// Returns the expired holds a query of <c>customer, id</c> names, each read again once its customer is locked:
    /// one whose customer someone else is working on is left for later (that operation may return it itself).
    /// </summary>
    private async ValueTask<int> ReturnExpiredAsync(string candidates, int limit)
    {
        List<(string Customer, string Id)>? due = null;
        var reader = await Session.QueryAsync(candidates, Now, limit).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                (due ??= []).Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var returned = 0;
        foreach (var (customer, id) in due ?? [])
        {
            if (!await TryLockCustomerAsync(customer).ConfigureAwait(false))
            {
                continue;
            }

            // Read again under the lock: another operation may have returned it, or opened a new hold under its id.
            if (await ReadHoldAsync(customer, id).ConfigureAwait(false) is { } hold && hold.Expires <= Now)
            {
                await ReturnHoldAsync(hold).ConfigureAwait(false);
                returned++;
            }
        }

        return returned;
    }

    /// <summary>When the first open hold that may free a budget returns its units: the customer's, or any global share for a global budget.</summary>
    public async ValueTask<DateTimeOffset?> EarliestExpiryAsync(string customer, bool global)
    {
        var ticks = global
            ? await Session.ScalarAsync("SELECT min(expires) FROM agentbill_holds WHERE global = 1").ConfigureAwait(false)
            : await Session.ScalarAsync("SELECT min(expires) FROM agentbill_holds WHERE customer = $1", customer).ConfigureAwait(false);
        return ticks is long t ? new DateTimeOffset(t, TimeSpan.Zero) : null;
    }

    private const string HoldColumns = "SELECT id, seq, agent, task, meter, units, expires, day, week, month, global FROM agentbill_holds";

    // ---- Answers ----

    /// <summary>The remembered answer under a key, while its window lasts.</summary>
    public async ValueTask<(string Fingerprint, string Outcome)?> RecallAsync(string customer, string key)
    {
        if (_answers.TryGetValue((customer, key), out var known))
        {
            return known;
        }

        var reader = await Session.QueryAsync("SELECT fingerprint, outcome FROM agentbill_answers WHERE customer = $1 AND key = $2 AND forget_at > $3", customer, key, Now).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        return await reader.ReadAsync().ConfigureAwait(false) ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    public void Remember(string customer, string key, string fingerprint, string outcome, long forgetAt)
    {
        _answers.Remove((customer, key));
        Session.Enqueue(
            "INSERT INTO agentbill_answers (customer, key, fingerprint, outcome, forget_at) VALUES ($1, $2, $3, $4, $5) " +
            "ON CONFLICT (customer, key) DO UPDATE SET fingerprint = excluded.fingerprint, outcome = excluded.outcome, forget_at = excluded.forget_at",
            customer, key, fingerprint, outcome, forgetAt);
    }

    // ---- Reports ----

    /// <summary>Adds one to an activity total (<c>approved</c> or <c>refused</c>).</summary>
    public void Count(string activity, string customer) => Session.Enqueue(Session.Dialect.CountActivity, activity, customer);

    /// <summary>Logs a refusal the store decided, counts it, and drops the customer's refusals beyond the newest <see cref="ReportRules.RefusalsKeptPerCustomer"/>.</summary>
    public void Refused(string customer, string agent, string? task, UsageMeter meter, ReserveOutcome refusal, long units)
    {
        var scope = refusal.RefusedBy?.Scope;
        Session.Enqueue(
            "INSERT INTO agentbill_refusals (customer, at, agent, task, meter, reason, scope_kind, scope_name, requested, remaining) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            customer, Now, agent, task, (int)meter, (int)refusal.Reason, scope is { } s ? (int)s.Kind : null, scope?.Name, units, refusal.Refusal is null ? null : refusal.RemainingUnits);
        Session.Enqueue(
            "DELETE FROM agentbill_refusals WHERE customer = $1 AND id <= (SELECT id FROM agentbill_refusals WHERE customer = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
            customer, ReportRules.RefusalsKeptPerCustomer);
        Count("refused", customer);
    }

    private static long AddTicks(long ticks, long more)
        => more >= 0
            ? (more > DateTimeOffset.MaxValue.UtcTicks - ticks ? DateTimeOffset.MaxValue.UtcTicks : ticks + more)
            : (ticks + more < 0 ? 0 : ticks + more);
}
