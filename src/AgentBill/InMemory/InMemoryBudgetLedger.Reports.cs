using AgentBill.Ledger;

namespace AgentBill.InMemory;

/// <summary>
/// The reports of the in-memory store. Every page walks the customers in id order from the cursor's customer (a
/// sorted copy of the ids: memory-bound work, not I/O) and stops once the page is full. Refusals are merged exactly:
/// each customer keeps its newest <see cref="ReportRules.RefusalsKeptPerCustomer"/>, and a ledger-wide sequence
/// orders them. Activity is two ledger-wide counters. A customer book dropped for idleness takes its refusals with it.
/// </summary>
public sealed partial class InMemoryBudgetLedger
{
    private readonly TimeProvider _time;
    private long _approved;
    private long _refused;
    private long _refusalSequence;

    /// <inheritdoc />
    public ValueTask<UsageReportPage> GetUsageReportAsync(UsageReportQuery query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        query = ReportRules.Check(query);
        ReportRules.CheckLimit(limit);
        UsageReportRow? after = cursor is null ? null : ReportRules.ParseRowCursor(cursor);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        var rows = new List<UsageReportRow>();
        if (query.CustomerId is null && query.Kind is null or BudgetScopeKind.Global && after?.Key.Scope.Kind is null or BudgetScopeKind.Global)
        {
            lock (_global.Gate)
            {
                _global.Sweep(now);
                AddRows(rows, _global.Usages, query, after);
            }
        }

        foreach (var customerId in CustomersFrom(query.CustomerId, after?.Key.Scope.CustomerId))
        {
            if (rows.Count > limit || query.Kind == BudgetScopeKind.Global)
            {
                break;
            }

            using var entered = EnterIfKnown(customerId);
            if (entered.Book is { } book)
            {
                Expire(book, now);
                AddRows(rows, book.Usages, query, after);
            }
        }

        rows.Sort(ReportRules.Compare);
        return new(rows.Count <= limit
            ? new UsageReportPage(rows, null)
            : new UsageReportPage(rows[..limit], ReportRules.RowCursor(rows[limit - 1])));
    }

    /// <inheritdoc />
    public ValueTask<BudgetPage> GetBudgetsAsync(string? customerId, string? cursor, int limit, CancellationToken cancellationToken)
    {
        customerId = ReportRules.CheckCustomer(customerId);
        ReportRules.CheckLimit(limit);
        BudgetKey? after = cursor is null ? null : ReportRules.ParseBudgetCursor(cursor);
        cancellationToken.ThrowIfCancellationRequested();
        var budgets = new List<Budget>();
        if (customerId is null && after?.Scope.Kind is null or BudgetScopeKind.Global)
        {
            budgets.AddRange(_global.Budgets.Where(budget => after is null || ReportRules.Compare(budget.Key, after.Value) > 0));
        }

        foreach (var id in CustomersFrom(customerId, after?.Scope.CustomerId))
        {
            if (budgets.Count > limit)
            {
                break;
            }

            using var entered = EnterIfKnown(id);
            if (entered.Book is { } book)
            {
                budgets.AddRange(book.Budgets.Where(budget => after is null || ReportRules.Compare(budget.Key, after.Value) > 0));
            }
        }

        budgets.Sort(static (x, y) => ReportRules.Compare(x.Key, y.Key));
        return new(budgets.Count <= limit
            ? new BudgetPage(budgets, null)
            : new BudgetPage(budgets[..limit], ReportRules.BudgetCursor(budgets[limit - 1].Key)));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RefusalRecord>> GetRefusalsAsync(string? customerId, int limit, CancellationToken cancellationToken)
    {
        customerId = ReportRules.CheckCustomer(customerId);
        ReportRules.CheckLimit(limit);
        cancellationToken.ThrowIfCancellationRequested();
        var newest = new List<(long Sequence, RefusalRecord Record)>();
        foreach (var id in customerId is null ? _books.Keys : [customerId])
        {
            using var entered = EnterIfKnown(id);
            if (entered.Book?.Refusals is { } log)
            {
                newest.AddRange(log.Newest(limit));
            }
        }

        return new(newest.OrderByDescending(static entry => entry.Sequence).Take(limit).Select(static entry => entry.Record).ToList());
    }

    /// <inheritdoc />
    public ValueTask<LedgerActivity> GetActivityAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(new LedgerActivity(Interlocked.Read(ref _approved), Interlocked.Read(ref _refused), _time.GetUtcNow()));
    }

    /// <inheritdoc />
    public ValueTask<int> ReleaseExpiredHoldsAsync(int limit, CancellationToken cancellationToken)
    {
        ReportRules.CheckLimit(limit);
        var now = _time.GetUtcNow();
        var released = 0;
        foreach (var customerId in _books.Keys)
        {
            if (released == limit || cancellationToken.IsCancellationRequested)
            {
                break;
            }

            using var entered = EnterIfKnown(customerId);
            if (entered.Book?.TakeExpired(now, limit - released) is { } expired)
            {
                foreach (var hold in expired)
                {
                    Return(hold, now);
                }

                released += expired.Count;
            }
        }

        return new(released);
    }

    /// <summary>Counts and logs a refusal the store decided. Caller holds the book's lock.</summary>
    private void Refused(CustomerBook book, DateTimeOffset at, string agentId, string? taskRef, UsageMeter meter, in ReserveOutcome refusal, long units)
    {
        Interlocked.Increment(ref _refused);
        var record = new RefusalRecord(at, book.CustomerId, agentId, taskRef, meter, refusal.Reason, refusal.RefusedBy?.Scope, units, refusal.Refusal is null ? null : refusal.RemainingUnits);
        book.RefusalLog.Add(Interlocked.Increment(ref _refusalSequence), record);
    }

    /// <summary>One customer, or every customer from <paramref name="from"/> on (global cursors start at the first), in id order.</summary>
    private IEnumerable<string> CustomersFrom(string? only, string? from)
    {
        if (only is not null)
        {
            return string.CompareOrdinal(only, from ?? string.Empty) >= 0 ? [only] : [];
        }

        var ids = _books.Keys.Where(id => from is null || string.CompareOrdinal(id, from) >= 0).ToList();
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>The rows after <paramref name="after"/> that a query matches; a row with nothing used or held is left out.</summary>
    private static void AddRows(List<UsageReportRow> rows, IEnumerable<ScopeUsage> usages, UsageReportQuery query, UsageReportRow? after)
    {
        foreach (var usage in usages)
        {
            foreach (var counter in usage.Periods())
            {
                var row = new UsageReportRow(usage.Key, counter.Key!, counter.Used, counter.Reserved);
                if ((row.Used != 0 || row.Reserved != 0) && ReportRules.Matches(query, row.Key, row.PeriodKey)
                    && (after is null || ReportRules.Compare(row, after.Value) > 0))
                {
                    rows.Add(row);
                }
            }
        }
    }
}
