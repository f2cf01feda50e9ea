using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task Usage_is_metered_for_customer_agent_and_task_in_every_period_without_any_budget()
    {
        await using var client = CreateClient(await CreateLedgerAsync());

        await client.RecordAsync(new RecordRequest("researcher", 7) { CustomerId = "acme", TaskRef = "job-1" });
        await using (var reservation = await client.ReserveAsync(new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 10 }))
        {
            await reservation.CommitAsync(5);
        }

        foreach (var period in Enum.GetValues<BudgetPeriod>())
        {
            Assert.Equal(12, (await client.GetUsageAsync(BudgetScope.Customer("acme"), period: period)).Used);
            Assert.Equal(12, (await client.GetUsageAsync(BudgetScope.Agent("acme", "researcher"), period: period)).Used);
            Assert.Equal(7, (await client.GetUsageAsync(BudgetScope.Task("acme", "job-1"), period: period)).Used);
        }
    }

    [Fact]
    public async Task Open_holds_show_as_reserved_on_every_scope_of_the_call_without_any_budget()
    {
        await using var client = CreateClient(await CreateLedgerAsync());

        await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", TaskRef = "job-1", EstimatedUnits = 9 });

        Assert.Equal(9, (await client.GetUsageAsync(BudgetScope.Customer("acme"), period: BudgetPeriod.Month)).Reserved);
        Assert.Equal(9, (await client.GetUsageAsync(BudgetScope.Agent("acme", "researcher"))).Reserved);
        Assert.Equal(9, (await client.GetUsageAsync(BudgetScope.Task("acme", "job-1"))).Reserved);
    }

    [Fact]
    public async Task A_budget_set_mid_month_sees_what_the_month_already_spent()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.RecordAsync("researcher", 70, "acme");

        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        var tooMuch = await client.PreflightAsync("researcher", 40, "acme");
        var fits = await client.PreflightAsync("researcher", 30, "acme");

        Assert.False(tooMuch.Approved);
        Assert.Equal(30, tooMuch.RemainingUnits);
        Assert.True(fits.Approved);
        Assert.Equal(0, fits.RemainingUnits);
    }

    [Fact]
    public async Task A_daily_budget_set_later_sees_only_its_own_day()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.RecordAsync(new RecordRequest("researcher", 50) { CustomerId = "acme" });
        Time.Advance(TimeSpan.FromDays(1));
        await client.RecordAsync(new RecordRequest("researcher", 8) { CustomerId = "acme" });

        await client.SetBudgetAsync(new Budget(BudgetScope.Agent("acme", "researcher"), UsageMeter.Units, 10, BudgetPeriod.Day));
        var result = await client.PreflightAsync("researcher", 2, "acme");

        Assert.True(result.Approved);
        Assert.Equal(0, result.RemainingUnits);
        Assert.Equal(58, (await client.GetUsageAsync(BudgetScope.Customer("acme"), period: BudgetPeriod.Lifetime)).Used);
    }

    [Fact]
    public async Task Meters_are_metered_apart_without_a_budget()
    {
        await using var client = CreateClient(await CreateLedgerAsync());

        await client.RecordAsync(new RecordRequest("chat", 1_250) { CustomerId = "acme", Meter = UsageMeter.MicroUsd });
        await client.RecordAsync(new RecordRequest("chat", 300) { CustomerId = "acme", Meter = UsageMeter.Tokens });

        Assert.Equal(1_250, (await client.GetUsageAsync(BudgetScope.Customer("acme"), UsageMeter.MicroUsd)).Used);
        Assert.Equal(300, (await client.GetUsageAsync(BudgetScope.Customer("acme"), UsageMeter.Tokens)).Used);
        Assert.Equal(0, (await client.GetUsageAsync(BudgetScope.Customer("acme"))).Used);
    }

    [Fact]
    public async Task Past_periods_stay_readable_without_a_budget()
    {
        Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 22, 0, 0, TimeSpan.Zero));
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.RecordAsync("researcher", 4, "acme");
        Time.Advance(TimeSpan.FromHours(3));
        await client.RecordAsync("researcher", 6, "acme");

        var november = await client.GetUsageAsync(BudgetScope.Customer("acme"), at: new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), period: BudgetPeriod.Month);
        var december = await client.GetUsageAsync(BudgetScope.Customer("acme"), period: BudgetPeriod.Month);
        var lifetime = await client.GetUsageAsync(BudgetScope.Customer("acme"));

        Assert.Equal(("m:2026-11", 4L), (november.PeriodKey, november.Used));
        Assert.Equal(("m:2026-12", 6L), (december.PeriodKey, december.Used));
        Assert.Equal(10, lifetime.Used);
    }
}
