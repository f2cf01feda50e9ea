namespace AgentBill.Ledger;

/// <summary>
/// Reading a store across its customers, for operators: the command-line tool, the server's dashboard, invoicing
/// exports. A store that keeps more than one customer implements it next to <see cref="IBudgetLedger"/>.
/// </summary>
/// <remarks>
/// Nothing here is on a gated call's path and nothing here decides a hold. Every read is paged with an opaque
/// cursor so that one request does bounded work however many customers the store keeps; a page can be shorter
/// than its limit and still have a next one. Pages reflect the store at the moment each page is read: a row
/// written between two pages can be missed or seen once, never twice.
/// </remarks>
public interface IBudgetLedgerReports
{
    /// <summary>Usage rows (used and held units of one scope, meter and period), ordered by customer, scope, meter, period.</summary>
    /// <param name="query">Which rows; every filter left <see langword="null"/> matches everything.</param>
    /// <param name="cursor">The previous page's <see cref="UsageReportPage.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="limit">The most rows to return, 1 to <see cref="OpenHoldPage.MaxLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<UsageReportPage> GetUsageReportAsync(UsageReportQuery query, string? cursor, int limit, CancellationToken cancellationToken);

    /// <summary>The budgets set, ordered by customer, scope and meter.</summary>
    /// <param name="customerId">One customer's budgets, or <see langword="null"/> for every customer's and the global ones.</param>
    /// <param name="cursor">The previous page's <see cref="BudgetPage.NextCursor"/>, or <see langword="null"/> for the first page.</param>
    /// <param name="limit">The most budgets to return, 1 to <see cref="OpenHoldPage.MaxLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<BudgetPage> GetBudgetsAsync(string? customerId, string? cursor, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The most recent refusals the store decided (budget, task ceiling, too many open holds), newest first. A store
    /// keeps a bounded number per customer (at least the last 20); ceiling refusals that the client decides without
    /// the store are not among them.
    /// </summary>
    /// <param name="customerId">One customer's refusals, or <see langword="null"/> for the most recent of every customer.</param>
    /// <param name="limit">The most refusals to return, 1 to <see cref="OpenHoldPage.MaxLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<RefusalRecord>> GetRefusalsAsync(string? customerId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Running totals of the store's decisions since the ledger was made: a live view reads it twice and divides the
    /// difference by the time between.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<LedgerActivity> GetActivityAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Releases holds whose TTL has passed (their units return to every scope they held), at most
    /// <paramref name="limit"/> of them; call again while it returns <paramref name="limit"/>.
    /// </summary>
    /// <param name="limit">The most holds to release, 1 to <see cref="OpenHoldPage.MaxLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the sweep between customers; what was released stays released.</param>
    /// <returns>How many holds were released.</returns>
    ValueTask<int> ReleaseExpiredHoldsAsync(int limit, CancellationToken cancellationToken);
}
