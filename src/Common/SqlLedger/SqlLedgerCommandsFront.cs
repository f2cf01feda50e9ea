using AgentBill.Ledger;
using AgentBill.SqlLedger;

#if AGENTBILL_SQLITE
namespace AgentBill.Sqlite;
#else
namespace AgentBill.Postgres;
#endif

// The SQL stores' public face: every command and report is run by the shared engine (LedgerCommands,
// LedgerReportQueries) in the store's own transaction (its RunAsync). Compiled into each store under its own name.
// Reports read one page from a primary key or an index each: usage rows and budgets in key order (texts byte by
// byte), the cursor naming the last key; a hold past its expiry counts as held until an operation on its customer, or
// ReleaseExpiredHoldsAsync, returns it. Refusals are capped per customer, with ids that only grow, so the newest across
// customers are read exactly from the key. Activity is counted in the deciding transactions.
#if AGENTBILL_SQLITE
public sealed partial class SqliteBudgetLedger
#else
public sealed partial class PostgresBudgetLedger
#endif
{
    /// <inheritdoc />
    public ValueTask<ReserveOutcome> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
        => RunAsync(command, LedgerCommands.ReserveAsync, command.Call.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ReserveOutcome> TopUpAsync(TopUpCommand command, CancellationToken cancellationToken)
        => RunAsync(command, LedgerCommands.TopUpAsync, command.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ExtendAsync(ExtendCommand command, CancellationToken cancellationToken)
        => RunAsync(command, LedgerCommands.ExtendAsync, command.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ChargeOutcome> ChargeAsync(ChargeCommand command, CancellationToken cancellationToken)
        => RunAsync(command, LedgerCommands.ChargeAsync, command.Call.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(ReleaseCommand command, CancellationToken cancellationToken)
        => RunAsync(command, LedgerCommands.ReleaseAsync, command.Now, cancellationToken);

    /// <inheritdoc />
    public ValueTask SetBudgetAsync(Budget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return new(RunAsync(budget, LedgerCommands.SetBudgetAsync, null, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    public ValueTask<Budget?> GetBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
        => RunAsync(key, LedgerCommands.GetBudgetAsync, null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> RemoveBudgetAsync(BudgetKey key, CancellationToken cancellationToken)
        => RunAsync(key, LedgerCommands.RemoveBudgetAsync, null, cancellationToken);

    /// <inheritdoc />
    public ValueTask<LedgerUsage> GetUsageAsync(BudgetKey key, string periodKey, DateTimeOffset now, CancellationToken cancellationToken)
        => RunAsync((key, periodKey), LedgerCommands.GetUsageAsync, now, cancellationToken);

    /// <inheritdoc />
    public ValueTask ResetUsageAsync(BudgetKey key, string periodKey, CancellationToken cancellationToken)
    {
        _ = PeriodKeys.KindOf(periodKey);
        return new(RunAsync((key, periodKey), LedgerCommands.ResetUsageAsync, null, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OpenHold>> GetOpenHoldsAsync(string customerId, DateTimeOffset now, CancellationToken cancellationToken)
        => RunAsync(customerId, LedgerCommands.GetOpenHoldsAsync, now, cancellationToken);

    /// <summary>
    /// Lists one page of a customer's open holds, after expiring those due at <paramref name="now"/> (by the deciding
    /// clock), in the byte order of their ids (UTF-8); the cursor is the last id of the previous page. Reads one page
    /// from the index, whatever the customer holds.
    /// </summary>
    /// <param name="customerId">The customer.</param>
    /// <param name="cursor">The previous page's <see cref="OpenHoldPage.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="limit">The most holds to return, from 1 to 1000.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    public ValueTask<OpenHoldPage> GetOpenHoldsPageAsync(string customerId, string? cursor, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, OpenHoldPage.MaxLimit);
        return RunAsync((customerId, cursor, limit), LedgerCommands.GetOpenHoldsPageAsync, now, cancellationToken);
    }

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
}
