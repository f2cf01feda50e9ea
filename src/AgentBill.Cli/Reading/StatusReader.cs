using AgentBill.Cli.Output;
using AgentBill.Cli.Stores;
using AgentBill.Ledger;

namespace AgentBill.Cli.Reading;

/// <summary>Reads a <see cref="CustomerStatus"/>: the <c>status</c> command and the MCP <c>status</c> tool share it.</summary>
internal static class StatusReader
{
    private static readonly BudgetPeriod[] Periods = [BudgetPeriod.Day, BudgetPeriod.Week, BudgetPeriod.Month, BudgetPeriod.Lifetime];

    public static async Task<CustomerStatus> ReadAsync(StoreSession session, string customerId, CancellationToken cancellationToken)
    {
        _ = BudgetScope.Customer(customerId); // validates the id before any store call
        var reports = session.Reports;
        var now = session.Time.GetUtcNow();

        var budgets = new List<BudgetStatus>();
        await foreach (var budget in Pages.BudgetsAsync(reports, customerId, cancellationToken).ConfigureAwait(false))
        {
            var usage = await session.Admin.GetUsageAsync(budget.Key.Scope, budget.Key.Meter, cancellationToken: cancellationToken).ConfigureAwait(false);
            budgets.Add(new BudgetStatus(
                ScopeView.Of(budget.Key.Scope), budget.Key.Meter, budget.Period, usage.PeriodKey, usage.PeriodEnd,
                budget.Limit, usage.Used, usage.Reserved, usage.Remaining ?? 0, usage.IsOverrun));
        }

        var keys = session.Calendar.KeysAt(now);
        var usageLines = new List<PeriodUsage>();
        foreach (var period in Periods)
        {
            var query = new UsageReportQuery { CustomerId = customerId, Kind = BudgetScopeKind.Customer, PeriodKey = keys.For(period) };
            await foreach (var row in Pages.UsageAsync(reports, query, cancellationToken).ConfigureAwait(false))
            {
                usageLines.Add(new PeriodUsage(row.Key.Meter, period, row.PeriodKey, row.Used, row.Reserved));
            }
        }

        var holds = await session.Admin.GetOpenHoldsPageAsync(customerId, null, CustomerStatus.HoldsShown, cancellationToken).ConfigureAwait(false);
        var refusals = await reports.GetRefusalsAsync(customerId, 1, cancellationToken).ConfigureAwait(false);
        return new CustomerStatus(
            customerId,
            now,
            budgets,
            [.. usageLines.OrderBy(line => line.Meter).ThenBy(line => Array.IndexOf(Periods, line.Period))],
            [.. holds.Holds.Select(HoldView.Of)],
            holds.NextCursor is not null,
            refusals.Count > 0 ? RefusalView.Of(refusals[0]) : null);
    }
}
