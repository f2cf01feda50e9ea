using AgentBill.Ledger;
using AgentBill.SqlLedger;

namespace AgentBill.Postgres;

/// <summary>
/// The reports of the PostgreSQL store: the same queries as the SQLite store's, each one transaction reading one page
/// from a primary key or an index. Activity is summed over the rows that count it.
/// </summary>
public sealed partial class PostgresBudgetLedger
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
        => RunAsync(0, static (tx, _) => LedgerReportQueries.ActivityAsync(tx, new DateTimeOffset(tx.Now, TimeSpan.Zero)), ReportsNow(), cancellationToken);

    /// <inheritdoc />
    public ValueTask<int> ReleaseExpiredHoldsAsync(int limit, CancellationToken cancellationToken)
    {
        ReportRules.CheckLimit(limit);
        return RunAsync(limit, LedgerReportQueries.ReleaseExpiredAsync, ReportsNow(), cancellationToken);
    }

    /// <summary>The reports' now under the client's clock; under the server's, the transaction reads the database's.</summary>
    private DateTimeOffset ReportsNow() => (_options.TimeProvider ?? TimeProvider.System).GetUtcNow();
}
