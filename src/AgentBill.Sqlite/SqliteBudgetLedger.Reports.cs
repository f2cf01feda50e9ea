using AgentBill.Ledger;
using AgentBill.SqlLedger;

namespace AgentBill.Sqlite;

/// <summary>
/// The reports of the SQLite store, each one transaction reading one page from a primary key or an index: usage rows
/// and budgets in their tables' key order (customer, kind, name, meter, period, texts as SQLite compares them), the
/// cursor naming the last key. Usage rows count a hold past its expiry as held until an operation on its customer, or
/// <see cref="ReleaseExpiredHoldsAsync"/>, returns it. Refusals are a table capped per customer, written in the
/// refusing transaction; its ids only grow, so the newest across customers are read exactly from its key. Activity
/// is two counters written in the deciding transactions (on a file made before schema version 2, counted from the
/// upgrade on).
/// </summary>
public sealed partial class SqliteBudgetLedger
{
    /// <inheritdoc />
    public ValueTask<UsageReportPage> GetUsageReportAsync(UsageReportQuery query, string? cursor, int limit, CancellationToken cancellationToken)
    {
        query = ReportRules.Check(query);
        ReportRules.CheckLimit(limit);
        var after = cursor is null ? null : (UsageReportRow?)ReportRules.ParseRowCursor(cursor);
        return RunAsync((query, after, limit), LedgerReportQueries.UsageAsync, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<BudgetPage> GetBudgetsAsync(string? customerId, string? cursor, int limit, CancellationToken cancellationToken)
    {
        customerId = ReportRules.CheckCustomer(customerId);
        ReportRules.CheckLimit(limit);
        var after = cursor is null ? null : (BudgetKey?)ReportRules.ParseBudgetCursor(cursor);
        return RunAsync((customerId, after, limit), LedgerReportQueries.BudgetsAsync, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RefusalRecord>> GetRefusalsAsync(string? customerId, int limit, CancellationToken cancellationToken)
    {
        customerId = ReportRules.CheckCustomer(customerId);
        ReportRules.CheckLimit(limit);
        return RunAsync((customerId, limit), LedgerReportQueries.RefusalsAsync, null, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<LedgerActivity> GetActivityAsync(CancellationToken cancellationToken)
        => RunAsync(Now(), LedgerReportQueries.ActivityAsync, null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> ReleaseExpiredHoldsAsync(int limit, CancellationToken cancellationToken)
    {
        ReportRules.CheckLimit(limit);
        return RunAsync(limit, LedgerReportQueries.ReleaseExpiredAsync, Now(), cancellationToken);
    }

    private DateTimeOffset Now() => (_options.TimeProvider ?? TimeProvider.System).GetUtcNow();
}
