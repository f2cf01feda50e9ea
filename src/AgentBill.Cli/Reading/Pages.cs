using System.Runtime.CompilerServices;
using AgentBill.Ledger;

namespace AgentBill.Cli.Reading;

/// <summary>Walks the paged reads of <see cref="IBudgetLedgerReports"/> to their end.</summary>
internal static class Pages
{
    /// <summary>How many rows one read asks for.</summary>
    public const int Size = 500;

    public static IAsyncEnumerable<Budget> BudgetsAsync(IBudgetLedgerReports reports, string? customerId, CancellationToken cancellationToken)
        => AllAsync(
            async cursor => await reports.GetBudgetsAsync(customerId, cursor, Size, cancellationToken).ConfigureAwait(false) is var page ? (page.Budgets, page.NextCursor) : default,
            cancellationToken);

    public static IAsyncEnumerable<UsageReportRow> UsageAsync(IBudgetLedgerReports reports, UsageReportQuery query, CancellationToken cancellationToken)
        => AllAsync(
            async cursor => await reports.GetUsageReportAsync(query, cursor, Size, cancellationToken).ConfigureAwait(false) is var page ? (page.Rows, page.NextCursor) : default,
            cancellationToken);

    private static async IAsyncEnumerable<T> AllAsync<T>(Func<string?, Task<(IReadOnlyList<T> Items, string? Next)>> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (items, next) = await read(cursor).ConfigureAwait(false);
            foreach (var item in items)
            {
                yield return item;
            }

            cursor = next;
        }
        while (cursor is not null);
    }
}
