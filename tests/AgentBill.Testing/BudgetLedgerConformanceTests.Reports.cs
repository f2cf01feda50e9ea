using AgentBill.Ledger;
using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    private static readonly string[] ThisPeriods = ["all", "d:2026-11-23", "m:2026-11", "w:2026-11-23"];

    /// <summary>
    /// Gets whether a store's usage rows and budgets come in <see cref="ReportRules.Compare(BudgetKey, BudgetKey)"/>
    /// order across every customer. A store that walks its customers in its own order (Redis: <c>SCAN</c> order) keeps
    /// each customer's items in that order and lists every item once all the same.
    /// </summary>
    protected virtual bool ReportsOrderEveryCustomer => true;

    /// <summary>The ledger's reports: a store that keeps many customers implements them next to the ledger.</summary>
    protected static IBudgetLedgerReports ReportsOf(IBudgetLedger ledger)
        => Assert.IsAssignableFrom<IBudgetLedgerReports>(ledger);

    /// <summary>Every row of a report, read page by page.</summary>
    protected static async Task<List<UsageReportRow>> ReadAllRows(IBudgetLedgerReports reports, UsageReportQuery query, int limit)
    {
        var rows = new List<UsageReportRow>();
        string? cursor = null;
        do
        {
            var page = await reports.GetUsageReportAsync(query, cursor, limit, CancellationToken.None);
            Assert.True(page.Rows.Count <= limit);
            rows.AddRange(page.Rows);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return rows;
    }

    [Fact]
    public async Task The_usage_report_has_a_row_per_scope_meter_and_period_with_used_and_held_units()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        var global = await SetGlobalBudgetOrCheckRefusal(client, new Budget(BudgetScope.Global, UsageMeter.Units, 10_000, BudgetPeriod.Month));
        await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", TaskRef = "t1", EstimatedUnits = 30 });
        await client.RecordAsync(new RecordRequest("writer", 7) { CustomerId = "acme" });

        var rows = await ReadAllRows(ReportsOf(ledger), new UsageReportQuery(), OpenHoldPage.MaxLimit);

        UsageReportRow Row(BudgetScope scope, string period) => Assert.Single(rows, row => row.Key == new BudgetKey(scope, UsageMeter.Units) && row.PeriodKey == period);
        foreach (var period in ThisPeriods)
        {
            Assert.Equal((7L, 30L), (Row(BudgetScope.Customer("acme"), period).Used, Row(BudgetScope.Customer("acme"), period).Reserved));
            Assert.Equal((0L, 30L), (Row(BudgetScope.Agent("acme", "researcher"), period).Used, Row(BudgetScope.Agent("acme", "researcher"), period).Reserved));
            Assert.Equal((7L, 0L), (Row(BudgetScope.Agent("acme", "writer"), period).Used, Row(BudgetScope.Agent("acme", "writer"), period).Reserved));
            Assert.Equal((0L, 30L), (Row(BudgetScope.Task("acme", "t1"), period).Used, Row(BudgetScope.Task("acme", "t1"), period).Reserved));
            if (global)
            {
                Assert.Equal((7L, 30L), (Row(BudgetScope.Global, period).Used, Row(BudgetScope.Global, period).Reserved));
            }
        }

        Assert.Equal(global ? 20 : 16, rows.Count);
        if (ReportsOrderEveryCustomer)
        {
            Assert.Equal(rows.Order(Comparer<UsageReportRow>.Create(ReportRules.Compare)), rows);
        }

        Assert.All(rows.GroupBy(row => row.Key.Scope.CustomerId), customer => Assert.Equal(customer.Order(Comparer<UsageReportRow>.Create(ReportRules.Compare)), customer));
    }

    [Fact]
    public async Task The_usage_report_filters_by_customer_kind_meter_and_period()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        await client.RecordAsync(new RecordRequest("researcher", 5) { CustomerId = "acme", TaskRef = "t1" });
        await client.RecordAsync(new RecordRequest("researcher", 9) { CustomerId = "bravo", Meter = UsageMeter.Tokens });
        var reports = ReportsOf(ledger);

        var acme = await ReadAllRows(reports, new UsageReportQuery { CustomerId = "acme" }, 100);
        var tasks = await ReadAllRows(reports, new UsageReportQuery { Kind = BudgetScopeKind.Task }, 100);
        var tokens = await ReadAllRows(reports, new UsageReportQuery { Meter = UsageMeter.Tokens }, 100);
        var lifetime = await ReadAllRows(reports, new UsageReportQuery { PeriodKey = PeriodKeys.Lifetime }, 100);
        var bravoAgentDay = await ReadAllRows(reports, new UsageReportQuery { CustomerId = "bravo", Kind = BudgetScopeKind.Agent, PeriodKey = "d:2026-11-23" }, 100);

        Assert.Equal(12, acme.Count);
        Assert.All(acme, row => Assert.Equal("acme", row.Key.Scope.CustomerId));
        Assert.Equal(4, tasks.Count);
        Assert.All(tasks, row => Assert.Equal(BudgetScope.Task("acme", "t1"), row.Key.Scope));
        Assert.Equal(8, tokens.Count);
        Assert.All(tokens, row => Assert.Equal(("bravo", 9L), (row.Key.Scope.CustomerId!, row.Used)));
        Assert.Equal(5, lifetime.Count);
        Assert.All(lifetime, row => Assert.Equal(PeriodKeys.Lifetime, row.PeriodKey));
        var single = Assert.Single(bravoAgentDay);
        Assert.Equal((new BudgetKey(BudgetScope.Agent("bravo", "researcher"), UsageMeter.Tokens), 9L), (single.Key, single.Used));
        Assert.Empty(await ReadAllRows(reports, new UsageReportQuery { CustomerId = "nobody" }, 100));
    }

    [Fact]
    public async Task Small_pages_across_many_customers_list_every_row_and_budget_once()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        var customers = Enumerable.Range(0, 13).Select(i => $"c{i:D2}-é").ToList();
        foreach (var customer in customers)
        {
            await client.SetBudgetAsync(new Budget(BudgetScope.Customer(customer), UsageMeter.Units, 1_000, BudgetPeriod.Day));
            await client.SetBudgetAsync(new Budget(BudgetScope.Agent(customer, "a"), UsageMeter.Tokens, 1_000, BudgetPeriod.Month));
            await client.RecordAsync(new RecordRequest("a", 3) { CustomerId = customer });
        }

        var reports = ReportsOf(ledger);
        var everything = await ReadAllRows(reports, new UsageReportQuery(), OpenHoldPage.MaxLimit);
        foreach (var limit in new[] { 1, 3, 7 })
        {
            var paged = await ReadAllRows(reports, new UsageReportQuery(), limit);
            Assert.Equal(everything, paged);
        }

        Assert.Equal(customers.Count * 8, everything.Count);
        Assert.Equal(everything.Count, everything.Distinct().Count());

        var budgets = new List<Budget>();
        string? cursor = null;
        do
        {
            var page = await reports.GetBudgetsAsync(null, cursor, 4, CancellationToken.None);
            Assert.True(page.Budgets.Count <= 4);
            budgets.AddRange(page.Budgets);
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(customers.Count * 2, budgets.Count);
        Assert.Equal(customers.Count * 2, budgets.Select(budget => budget.Key).Distinct().Count());
        if (ReportsOrderEveryCustomer)
        {
            Assert.Equal(budgets.Select(b => b.Key).Order(Comparer<BudgetKey>.Create(ReportRules.Compare)), budgets.Select(b => b.Key));
        }

        var one = await reports.GetBudgetsAsync("c05-é", null, 10, CancellationToken.None);
        Assert.Null(one.NextCursor);
        Assert.Equal(
            [new BudgetKey(BudgetScope.Customer("c05-é"), UsageMeter.Units), new BudgetKey(BudgetScope.Agent("c05-é", "a"), UsageMeter.Tokens)],
            one.Budgets.Select(budget => budget.Key));
        Assert.Equal(1_000, one.Budgets[0].Limit);
    }

    [Fact]
    public async Task Refusals_are_kept_with_their_reason_scope_and_remaining_units_newest_first()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
        await client.SetBudgetAsync(new Budget(BudgetScope.Task("bravo", "t9"), UsageMeter.Units, 10, BudgetPeriod.Lifetime));
        await using var held = await client.ReserveAsync("researcher", 60, "acme");
        await client.PreflightAsync("researcher", 50, "acme");
        Time.Advance(TimeSpan.FromSeconds(1));
        await client.PreflightAsync(new PreflightRequest("writer") { CustomerId = "bravo", TaskRef = "t9", EstimatedUnits = 11 });
        Time.Advance(TimeSpan.FromSeconds(1));
        var topUp = await held.TopUpAsync(45);
        var reports = ReportsOf(ledger);

        var all = await reports.GetRefusalsAsync(null, 10, CancellationToken.None);
        var acme = await reports.GetRefusalsAsync("acme", 10, CancellationToken.None);
        var newest = await reports.GetRefusalsAsync(null, 1, CancellationToken.None);

        Assert.False(topUp.Approved);
        Assert.Equal(
            [
                new RefusalRecord(Start + TimeSpan.FromSeconds(2), "acme", "researcher", null, UsageMeter.Units, RefusalReason.BudgetExhausted, BudgetScope.Customer("acme"), 45, 40),
                new RefusalRecord(Start + TimeSpan.FromSeconds(1), "bravo", "writer", "t9", UsageMeter.Units, RefusalReason.TaskCeilingExceeded, BudgetScope.Task("bravo", "t9"), 11, 10),
                new RefusalRecord(Start, "acme", "researcher", null, UsageMeter.Units, RefusalReason.BudgetExhausted, BudgetScope.Customer("acme"), 50, 40),
            ],
            all);
        Assert.Equal([all[0], all[2]], acme);
        Assert.Equal([all[0]], newest);
        Assert.Empty(await reports.GetRefusalsAsync("nobody", 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_customer_keeps_its_newest_refusals_up_to_the_cap()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 5, BudgetPeriod.Month));
        var extra = 5;
        for (var i = 1; i <= ReportRules.RefusalsKeptPerCustomer + extra; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            Assert.False((await client.PreflightAsync("researcher", 5 + i, "acme")).Approved);
        }

        var kept = await ReportsOf(ledger).GetRefusalsAsync("acme", OpenHoldPage.MaxLimit, CancellationToken.None);

        Assert.Equal(ReportRules.RefusalsKeptPerCustomer, kept.Count);
        Assert.Equal(
            Enumerable.Range(extra + 1, ReportRules.RefusalsKeptPerCustomer).Reverse().Select(i => 5L + i),
            kept.Select(refusal => refusal.Requested));
    }

    [Fact]
    public async Task Activity_counts_every_approved_hold_and_every_refusal_of_the_store()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger);
        var reports = ReportsOf(ledger);
        var before = await reports.GetActivityAsync(CancellationToken.None);
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await client.PreflightAsync("researcher", 10, $"free-{i}")).Approved);
        }

        await using var held = await client.ReserveAsync("researcher", 50, "acme");
        Assert.True((await held.TopUpAsync(10)).Approved);
        Assert.False((await held.TopUpAsync(50)).Approved);
        Assert.False((await client.PreflightAsync("researcher", 41, "acme")).Approved);
        Assert.False((await client.PreflightAsync("writer", 1_000, "acme")).Approved);
        await client.RecordAsync("researcher", 5, "acme");
        Time.Advance(TimeSpan.FromSeconds(3));

        var after = await reports.GetActivityAsync(CancellationToken.None);

        Assert.Equal((0L, 0L), (before.Approved, before.Refused));
        Assert.Equal((6L, 3L), (after.Approved, after.Refused));
        Assert.Equal(Start + TimeSpan.FromSeconds(3), after.At);
    }

    [Fact]
    public async Task The_sweep_releases_exactly_the_expired_holds_and_returns_their_units()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger, o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        var reports = ReportsOf(ledger);
        await client.PreflightAsync("researcher", 10, "acme");
        await client.PreflightAsync("researcher", 20, "acme");
        await client.PreflightAsync(new PreflightRequest("writer") { CustomerId = "bravo", TaskRef = "t1", EstimatedUnits = 30 });
        Time.Advance(TimeSpan.FromMinutes(3));
        var live = await client.PreflightAsync("researcher", 40, "acme");
        Time.Advance(TimeSpan.FromMinutes(2));

        var first = await reports.ReleaseExpiredHoldsAsync(2, CancellationToken.None);
        var second = await reports.ReleaseExpiredHoldsAsync(2, CancellationToken.None);
        var third = await reports.ReleaseExpiredHoldsAsync(2, CancellationToken.None);

        Assert.Equal((2, 1, 0), (first, second, third));
        var held = await ReadAllRows(reports, new UsageReportQuery { PeriodKey = PeriodKeys.Lifetime }, 100);
        Assert.All(held, row => Assert.Equal(row.Key.Scope.CustomerId == "acme" && row.Key.Scope.Kind != BudgetScopeKind.Task ? 40 : 0, row.Reserved));
        Assert.Equal(live.ReservationId, Assert.Single(await client.GetOpenHoldsAsync("acme")).ReservationId);
        Assert.Empty(await client.GetOpenHoldsAsync("bravo"));
        Assert.Equal((0L, 0L), ((await client.GetUsageAsync(BudgetScope.Task("bravo", "t1"))).Used, (await client.GetUsageAsync(BudgetScope.Task("bravo", "t1"))).Reserved));
    }

    [Fact]
    public async Task Bad_report_arguments_are_refused_by_name_and_change_nothing()
    {
        var ledger = await CreateLedgerAsync();
        await using var client = CreateClient(ledger, o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 5, BudgetPeriod.Month));
        await client.PreflightAsync("researcher", 3, "acme");
        await client.PreflightAsync("researcher", 9, "acme");
        Time.Advance(TimeSpan.FromMinutes(6));
        var reports = ReportsOf(ledger);
        var none = CancellationToken.None;
        var query = new UsageReportQuery();

        Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await reports.GetUsageReportAsync(query, null, 0, none))).ParamName);
        Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await reports.GetBudgetsAsync(null, null, OpenHoldPage.MaxLimit + 1, none))).ParamName);
        Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await reports.GetRefusalsAsync(null, -1, none))).ParamName);
        Assert.Equal("limit", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await reports.ReleaseExpiredHoldsAsync(0, none))).ParamName);
        Assert.Equal("cursor", (await Assert.ThrowsAsync<ArgumentException>(async () => await reports.GetUsageReportAsync(query, "not a cursor!", 10, none))).ParamName);
        Assert.Equal("cursor", (await Assert.ThrowsAsync<ArgumentException>(async () => await reports.GetBudgetsAsync(null, "bm90IGEgY3Vyc29y", 10, none))).ParamName);
        Assert.Equal("customerId", (await Assert.ThrowsAsync<ArgumentException>(async () => await reports.GetRefusalsAsync(" ", 10, none))).ParamName);
        Assert.Equal("customerId", (await Assert.ThrowsAsync<ArgumentException>(async () => await reports.GetBudgetsAsync("a\u0001", null, 10, none))).ParamName);
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await reports.GetUsageReportAsync(new UsageReportQuery { PeriodKey = "yesterday" }, null, 10, none));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await reports.GetUsageReportAsync(new UsageReportQuery { Kind = (BudgetScopeKind)42 }, null, 10, none));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await reports.GetUsageReportAsync(null!, null, 10, none));

        // The expired hold is still there for a valid sweep; the refusal and the activity are as they were.
        Assert.Equal(1, await reports.ReleaseExpiredHoldsAsync(10, none));
        Assert.Single(await reports.GetRefusalsAsync("acme", 10, none));
        var activity = await reports.GetActivityAsync(none);
        Assert.Equal((1L, 1L), (activity.Approved, activity.Refused));
    }
}
