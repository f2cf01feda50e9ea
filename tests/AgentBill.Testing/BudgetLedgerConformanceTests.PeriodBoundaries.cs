using Xunit;

namespace AgentBill.Testing;

/// <summary>
/// A hold counts against the period that approved it: a budget of a new period sees only that period's holds, and
/// the holds of the period before keep counting there (and are settled there) until they close.
/// </summary>
public abstract partial class BudgetLedgerConformanceTests
{
    private static readonly DateTimeOffset LastSecondOfNovember = new(2026, 11, 30, 23, 59, 59, TimeSpan.Zero);

    [Fact]
    public async Task Concurrent_holds_straddling_midnight_count_against_the_month_that_approved_each()
    {
        Time.SetUtcNow(LastSecondOfNovember);
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.MicroUsd, 1_000_000, BudgetPeriod.Month));

        var november = await Concurrently(8, 1, _ => client.PreflightAsync(Dime("acme")));
        Time.Advance(TimeSpan.FromSeconds(1));
        var december = await Concurrently(12, 1, _ => client.PreflightAsync(Dime("acme")));

        Assert.Equal(8, november.Count(r => r.Approved));
        Assert.Equal(10, december.Count(r => r.Approved));
        Assert.All(december.Where(r => !r.Approved), r => Assert.Equal(RefusalReason.BudgetExhausted, r.Reason));
        var novemberUsage = await client.GetUsageAsync(scope, UsageMeter.MicroUsd, at: LastSecondOfNovember);
        var decemberUsage = await client.GetUsageAsync(scope, UsageMeter.MicroUsd);
        Assert.Equal(("m:2026-11", 800_000L), (novemberUsage.PeriodKey, novemberUsage.Reserved));
        Assert.Equal(("m:2026-12", 1_000_000L), (decemberUsage.PeriodKey, decemberUsage.Reserved));
    }

    [Fact]
    public async Task Holds_straddling_midnight_in_a_time_zone_count_against_the_local_day_that_approved_each()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        // 04:59:59 UTC on 1 December is 23:59:59 on 30 November in New York.
        var lastSecond = new DateTimeOffset(2026, 12, 1, 4, 59, 59, TimeSpan.Zero);
        Time.SetUtcNow(lastSecond);
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.TimeZone = newYork);
        var agent = BudgetScope.Agent("acme", "researcher");
        await client.SetBudgetAsync(new Budget(agent, UsageMeter.Units, 100, BudgetPeriod.Day));

        var lateDay = await Concurrently(6, 1, _ => client.PreflightAsync("researcher", 15, "acme"));
        Time.Advance(TimeSpan.FromSeconds(1));
        var nextDay = await Concurrently(8, 1, _ => client.PreflightAsync("researcher", 15, "acme"));

        Assert.Equal(6, lateDay.Count(r => r.Approved));
        Assert.Equal(6, nextDay.Count(r => r.Approved));
        Assert.Equal(("d:2026-11-30", 90L), Period(await client.GetUsageAsync(agent, at: lastSecond)));
        Assert.Equal(("d:2026-12-01", 90L), Period(await client.GetUsageAsync(agent)));
    }

    [Fact]
    public async Task A_lifetime_budget_counts_every_open_hold_whatever_period_approved_it()
    {
        Time.SetUtcNow(LastSecondOfNovember);
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));

        var november = await client.PreflightAsync("researcher", 70, "acme");
        Time.Advance(TimeSpan.FromSeconds(1));
        var december = await client.PreflightAsync("researcher", 40, "acme");

        Assert.True(november.Approved);
        Assert.False(december.Approved);
        Assert.Equal(30, december.RemainingUnits);
    }

    [Fact]
    public async Task A_hold_of_the_old_period_released_after_midnight_frees_the_old_period_not_the_new_one()
    {
        Time.SetUtcNow(LastSecondOfNovember);
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        var old = await client.ReserveAsync("researcher", 60, "acme");

        Time.Advance(TimeSpan.FromSeconds(1));
        await using var fresh = await client.ReserveAsync("researcher", 100, "acme");
        await old.DisposeAsync();

        Assert.Equal((0L, 0L), UsedReserved(await client.GetUsageAsync(scope, at: LastSecondOfNovember)));
        Assert.Equal((0L, 100L), UsedReserved(await client.GetUsageAsync(scope)));
        Assert.False((await client.PreflightAsync("researcher", 1, "acme")).Approved);
    }

    [Fact]
    public async Task A_hold_of_the_old_period_that_expires_after_midnight_returns_its_units_to_the_old_period()
    {
        Time.SetUtcNow(LastSecondOfNovember);
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        Assert.True((await client.PreflightAsync(new PreflightRequest("researcher") { EstimatedUnits = 60, CustomerId = "acme", Ttl = TimeSpan.FromMinutes(1) })).Approved);

        Time.Advance(TimeSpan.FromMinutes(2));
        var december = await client.PreflightAsync("researcher", 100, "acme");

        Assert.True(december.Approved);
        Assert.Equal((0L, 0L), UsedReserved(await client.GetUsageAsync(scope, at: LastSecondOfNovember)));
        Assert.Equal((0L, 100L), UsedReserved(await client.GetUsageAsync(scope)));
    }

    [Fact]
    public async Task A_top_up_after_midnight_grows_the_hold_in_the_period_that_approved_it()
    {
        Time.SetUtcNow(LastSecondOfNovember);
        await using var client = CreateClient(await CreateLedgerAsync());
        var scope = BudgetScope.Customer("acme");
        await client.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await using var old = await client.ReserveAsync("researcher", 60, "acme");

        Time.Advance(TimeSpan.FromSeconds(1));
        var tooMuch = await old.TopUpAsync(50);
        var fits = await old.TopUpAsync(40);

        Assert.False(tooMuch.Approved);
        Assert.True(fits.Approved);
        Assert.Equal((0L, 100L), UsedReserved(await client.GetUsageAsync(scope, at: LastSecondOfNovember)));
        Assert.Equal((0L, 0L), UsedReserved(await client.GetUsageAsync(scope)));
        Assert.True((await client.PreflightAsync("researcher", 100, "acme")).Approved);
    }

    [Fact]
    public async Task A_global_budget_sees_only_the_holds_of_its_own_period()
    {
        Time.SetUtcNow(LastSecondOfNovember);
        await using var client = CreateClient(await CreateLedgerAsync());
        if (!await SetGlobalBudgetOrCheckRefusal(client, new Budget(BudgetScope.Global, UsageMeter.Units, 100, BudgetPeriod.Month)))
        {
            return;
        }

        var november = await client.PreflightAsync("researcher", 80, "acme");
        Time.Advance(TimeSpan.FromSeconds(1));
        var december = await client.PreflightAsync("researcher", 100, "globex");
        await client.ReleaseAsync(november.ReservationId!, "acme");

        Assert.True(november.Approved);
        Assert.True(december.Approved);
        Assert.Equal((0L, 0L), UsedReserved(await client.GetUsageAsync(BudgetScope.Global, at: LastSecondOfNovember)));
        Assert.Equal((0L, 100L), UsedReserved(await client.GetUsageAsync(BudgetScope.Global)));
    }

    private static PreflightRequest Dime(string customerId) => new("researcher") { EstimatedUnits = 100_000, CustomerId = customerId, Meter = UsageMeter.MicroUsd };

    private static (string, long) Period(BudgetUsage usage) => (usage.PeriodKey, usage.Reserved);

    private static (long, long) UsedReserved(BudgetUsage usage) => (usage.Used, usage.Reserved);
}
