using AgentBill.Ledger;

namespace AgentBill.Cli.Reading;

/// <summary>Walks the paged reads of <see cref="IBudgetLedgerReports"/> to their end.</summary>
internal static class Pages
{
    /// <summary>How many rows one read asks for.</summary>
    public const int Size = 500;

    public static async IAsyncEnumerable<Budget> BudgetsAsync(IBudgetLedgerReports reports, string? customerId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await reports.GetBudgetsAsync(customerId, cursor, Size, cancellationToken).ConfigureAwait(false);
            foreach (var budget in page.Budgets)
            {
                yield return budget;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    public static async IAsyncEnumerable<UsageReportRow> UsageAsync(IBudgetLedgerReports reports, UsageReportQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            var page = await reports.GetUsageReportAsync(query, cursor, Size, cancellationToken).ConfigureAwait(false);
            foreach (var row in page.Rows)
            {
                yield return row;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }
}
