namespace AgentBill.Tests;

/// <summary>The admin API on its own, over the same ledger as a client.</summary>
public sealed class AgentBillAdminTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Usage_of_a_customer_without_a_budget_reports_the_default_budget_in_its_period()
    {
        var admin = Admin(new Dictionary<UsageMeter, BudgetLimit> { [UsageMeter.Units] = new BudgetLimit(500, BudgetPeriod.Month) });

        var usage = await admin.GetUsageAsync(BudgetScope.Customer("acme"));

        Assert.Equal((500L, BudgetPeriod.Month, "m:2026-03"), (usage.Limit!.Value, usage.Period, usage.PeriodKey));
    }

    [Fact]
    public async Task Open_holds_of_no_named_customer_are_the_default_customers_not_the_ambient_ones()
    {
        var ledger = new InMemory.InMemoryBudgetLedger();
        await using var client = new AgentBillClient(ledger, new AgentBillOptions { DefaultCustomerId = "house" });
        using (AgentBillContext.Begin(customerId: "acme"))
        {
            await using var held = await client.ReserveAsync("researcher", 5);
            var admin = new AgentBillAdmin(ledger, "house", new Dictionary<UsageMeter, BudgetLimit>(), new PeriodCalendar(TimeZoneInfo.Utc), TimeProvider.System);

            Assert.Empty(await admin.GetOpenHoldsAsync());
            Assert.Single(await admin.GetOpenHoldsAsync("acme"));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void A_page_size_out_of_range_is_refused_naming_it(int limit)
        => Assert.Equal("limit", Assert.Throws<ArgumentOutOfRangeException>(() => Admin().GetOpenHoldsPageAsync(limit: limit)).ParamName);

    private static AgentBillAdmin Admin(Dictionary<UsageMeter, BudgetLimit>? defaults = null)
        => new(
            new InMemory.InMemoryBudgetLedger(),
            "default",
            defaults ?? [],
            new PeriodCalendar(TimeZoneInfo.Utc),
            new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now));
}
