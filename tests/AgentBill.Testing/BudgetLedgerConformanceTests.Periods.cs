using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task A_monthly_budget_starts_again_in_the_next_month_and_the_past_month_stays_readable()
    {
        Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero));
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await client.RecordAsync("researcher", 100, "acme");
        var lastDayOfNovember = await client.PreflightAsync("researcher", 1, "acme");

        Time.Advance(TimeSpan.FromHours(1));
        var firstOfDecember = await client.PreflightAsync("researcher", 100, "acme");

        Assert.False(lastDayOfNovember.Approved);
        Assert.True(firstOfDecember.Approved);
        var november = await client.GetUsageAsync(scope, at: new DateTimeOffset(2026, 11, 15, 0, 0, 0, TimeSpan.Zero));
        var december = await client.GetUsageAsync(scope);
        Assert.Equal(("m:2026-11", 100L, 0L), (november.PeriodKey, november.Used, november.Reserved));
        Assert.Equal(("m:2026-12", 0L, 100L), (december.PeriodKey, december.Used, december.Reserved));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), december.PeriodStart);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), december.PeriodEnd);
    }

    [Fact]
    public async Task A_daily_budget_counts_a_leap_day_as_its_own_day()
    {
        Time.SetUtcNow(new DateTimeOffset(2028, 2, 28, 12, 0, 0, TimeSpan.Zero));
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 10, BudgetPeriod.Day));

        await client.RecordAsync("researcher", 1, "acme");
        Time.Advance(TimeSpan.FromDays(1));
        await client.RecordAsync("researcher", 2, "acme");
        Time.Advance(TimeSpan.FromDays(1));
        await client.RecordAsync("researcher", 3, "acme");

        var leapDay = await client.GetUsageAsync(scope, at: new DateTimeOffset(2028, 2, 29, 8, 0, 0, TimeSpan.Zero));
        var firstOfMarch = await client.GetUsageAsync(scope);
        Assert.Equal(("d:2028-02-29", 2L), (leapDay.PeriodKey, leapDay.Used));
        Assert.Equal(("d:2028-03-01", 3L), (firstOfMarch.PeriodKey, firstOfMarch.Used));
    }

    [Fact]
    public async Task Calendar_periods_follow_the_configured_time_zone()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        // 03:00 UTC on 1 December is still 30 November in New York.
        Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.TimeZone = newYork);
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));

        await client.RecordAsync("researcher", 100, "acme");
        var stillNovember = await client.PreflightAsync("researcher", 1, "acme");
        Time.Advance(TimeSpan.FromHours(2));
        var december = await client.PreflightAsync("researcher", 1, "acme");

        Assert.False(stillNovember.Approved);
        Assert.True(december.Approved);
        var usage = await client.GetUsageAsync(scope, at: new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        Assert.Equal(("m:2026-11", 100L), (usage.PeriodKey, usage.Used));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(-4)), usage.PeriodStart);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(-5)), usage.PeriodEnd);
    }

    [Fact]
    public async Task A_weekly_budget_starts_on_monday()
    {
        // Sunday 29 November 2026, then Monday 30 November.
        Time.SetUtcNow(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 10, BudgetPeriod.Week));

        await client.RecordAsync("researcher", 10, "acme");
        var sunday = await client.PreflightAsync("researcher", 1, "acme");
        Time.Advance(TimeSpan.FromDays(1));
        var monday = await client.PreflightAsync("researcher", 10, "acme");

        Assert.False(sunday.Approved);
        Assert.True(monday.Approved);
        Assert.Equal("w:2026-11-30", (await client.GetUsageAsync(scope)).PeriodKey);
    }

    [Fact]
    public async Task Concurrent_charges_across_a_rollover_lose_nothing()
    {
        Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero));
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 1_000_000, BudgetPeriod.Month));

        var results = await Concurrently(64, 2, async call =>
        {
            if (call == 40)
            {
                Time.Advance(TimeSpan.FromSeconds(1)); // midnight passes while others are charging
            }

            return await client.RecordAsync("researcher", 1, "acme");
        });

        var november = await client.GetUsageAsync(scope, at: new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        var december = await client.GetUsageAsync(scope, at: new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(128, results.Count);
        Assert.Equal(128, november.Used + december.Used);
    }

    [Fact]
    public async Task A_hold_made_in_one_period_is_settled_in_the_period_it_was_approved_against()
    {
        Time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 23, 58, 0, TimeSpan.Zero));
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await using var reservation = await client.ReserveAsync("researcher", 50, "acme");

        Time.Advance(TimeSpan.FromMinutes(3));
        await reservation.CommitAsync(45);

        var november = await client.GetUsageAsync(scope, at: new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
        var december = await client.GetUsageAsync(scope);
        Assert.Equal((45L, 0L), (november.Used, november.Reserved));
        Assert.Equal((0L, 0L), (december.Used, december.Reserved));
    }
}
