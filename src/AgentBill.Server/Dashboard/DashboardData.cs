using System.Text.Json.Nodes;
using AgentBill.Ledger;
using AgentBill.Server.Protocol;

namespace AgentBill.Server.Dashboard;

/// <summary>
/// What the dashboard shows, read from the store's reports in one answer: this month's usage by customer and by
/// customer × agent, the last 14 days' totals, budgets at 80 % or more, open holds, recent refusals with their reasons.
/// Every list is capped: the page is an operator's glance, `agentbill usage` the full export.
/// </summary>
internal sealed class DashboardData(IBudgetLedgerReports reports, IAgentBillAdmin admin, PeriodCalendar calendar, TimeProvider time)
{
    private const int RowCap = 500;
    private const int BudgetCap = 200;
    private const int HoldCustomerCap = 20;
    private const int Days = 14;
    private const double NearLimit = 0.8;

    public async Task<JsonObject> ReadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var month = calendar.KeysAt(now).Month;
        var customers = await UsageAsync(new UsageReportQuery { Kind = BudgetScopeKind.Customer, PeriodKey = month }, cancellationToken).ConfigureAwait(false);
        var agents = await UsageAsync(new UsageReportQuery { Kind = BudgetScopeKind.Agent, PeriodKey = month }, cancellationToken).ConfigureAwait(false);
        return new JsonObject
        {
            ["now"] = now,
            ["period"] = month,
            ["time_zone"] = calendar.TimeZone.Id,
            ["usage_by_customer"] = Rows(customers),
            ["usage_by_agent"] = Rows(agents),
            ["daily"] = await DailyAsync(now, cancellationToken).ConfigureAwait(false),
            ["near_limit"] = await NearLimitAsync(cancellationToken).ConfigureAwait(false),
            ["open_holds"] = await HoldsAsync(customers, cancellationToken).ConfigureAwait(false),
            ["refusals"] = await RefusalsAsync(cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<List<UsageReportRow>> UsageAsync(UsageReportQuery query, CancellationToken cancellationToken)
    {
        var rows = new List<UsageReportRow>();
        string? cursor = null;
        do
        {
            var page = await reports.GetUsageReportAsync(query, cursor, OpenHoldPage.MaxLimit, cancellationToken).ConfigureAwait(false);
            rows.AddRange(page.Rows);
            cursor = page.NextCursor;
        }
        while (cursor is not null && rows.Count < RowCap);

        return rows.Count > RowCap ? rows[..RowCap] : rows;
    }

    private static JsonArray Rows(List<UsageReportRow> rows) => [.. rows
        .OrderByDescending(static row => row.Used + row.Reserved)
        .Select(static row => (JsonNode)new JsonObject
        {
            ["customer_id"] = row.Key.Scope.CustomerId,
            ["agent_id"] = row.Key.Scope.Kind == BudgetScopeKind.Agent ? row.Key.Scope.Name : null,
            ["unit"] = ProtocolFields.Unit(row.Key.Meter),
            ["used"] = row.Used,
            ["reserved"] = row.Reserved,
        })];

    // Every call is metered on its customer's scope, so a day's customer rows add up to the ledger's spend that day.
    private async Task<JsonArray> DailyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var days = new JsonArray();
        for (var back = Days - 1; back >= 0; back--)
        {
            var day = calendar.KeysAt(now.AddDays(-back)).Day;
            var rows = await UsageAsync(new UsageReportQuery { Kind = BudgetScopeKind.Customer, PeriodKey = day }, cancellationToken).ConfigureAwait(false);
            var totals = new JsonObject();
            foreach (var meter in rows.GroupBy(static row => row.Key.Meter))
            {
                totals[ProtocolFields.Unit(meter.Key)] = meter.Sum(static row => row.Used);
            }

            days.Add(new JsonObject { ["day"] = day, ["used"] = totals });
        }

        return days;
    }

    private async Task<JsonArray> NearLimitAsync(CancellationToken cancellationToken)
    {
        var near = new List<(double Share, JsonObject Row)>();
        string? cursor = null;
        var seen = 0;
        do
        {
            var page = await reports.GetBudgetsAsync(null, cursor, OpenHoldPage.MaxLimit, cancellationToken).ConfigureAwait(false);
            foreach (var budget in page.Budgets.Take(BudgetCap - seen))
            {
                seen++;
                var usage = await admin.GetUsageAsync(budget.Key.Scope, budget.Key.Meter, cancellationToken: cancellationToken).ConfigureAwait(false);
                var committed = usage.Used + usage.Reserved;
                var share = budget.Limit == 0 ? 1 : (double)committed / budget.Limit;
                if (share >= NearLimit)
                {
                    near.Add((share, new JsonObject
                    {
                        ["scope"] = budget.Key.Scope.ToString(),
                        ["customer_id"] = budget.Key.Scope.CustomerId,
                        ["unit"] = ProtocolFields.Unit(budget.Key.Meter),
                        ["period"] = ProtocolFields.Period(budget.Period),
                        ["limit"] = budget.Limit,
                        ["used"] = usage.Used,
                        ["reserved"] = usage.Reserved,
                        ["percent"] = Math.Round(share * 100, 1),
                    }));
                }
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null && seen < BudgetCap);

        return [.. near.OrderByDescending(static n => n.Share).Select(static n => (JsonNode)n.Row)];
    }

    private async Task<JsonArray> HoldsAsync(List<UsageReportRow> customers, CancellationToken cancellationToken)
    {
        var holds = new JsonArray();
        var holding = customers.Where(static row => row.Reserved > 0).Select(static row => row.Key.Scope.CustomerId!).Distinct().Take(HoldCustomerCap);
        foreach (var customerId in holding)
        {
            foreach (var hold in await admin.GetOpenHoldsAsync(customerId, cancellationToken).ConfigureAwait(false))
            {
                holds.Add(new JsonObject
                {
                    ["customer_id"] = customerId,
                    ["agent_id"] = hold.AgentId,
                    ["task_ref"] = hold.TaskRef,
                    ["reservation_id"] = hold.ReservationId,
                    ["unit"] = ProtocolFields.Unit(hold.Meter),
                    ["units"] = hold.Units,
                    ["expires_at"] = hold.ExpiresAt,
                });
            }
        }

        return holds;
    }

    private async Task<JsonArray> RefusalsAsync(CancellationToken cancellationToken)
    {
        var refusals = await reports.GetRefusalsAsync(null, 50, cancellationToken).ConfigureAwait(false);
        return [.. refusals.Select(static refusal => (JsonNode)new JsonObject
        {
            ["at"] = refusal.At,
            ["customer_id"] = refusal.CustomerId,
            ["agent_id"] = refusal.AgentId,
            ["task_ref"] = refusal.TaskRef,
            ["reason"] = ProtocolFields.Reason(refusal.Reason) ?? refusal.Reason.ToString(),
            ["scope"] = refusal.Scope?.ToString(),
            ["unit"] = ProtocolFields.Unit(refusal.Meter),
            ["requested"] = refusal.Requested,
            ["remaining"] = refusal.Remaining,
        })];
    }
}
