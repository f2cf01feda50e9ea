using Xunit;

namespace AgentBill.Testing;

public abstract partial class BudgetLedgerConformanceTests
{
    [Fact]
    public async Task A_refusal_caused_only_by_holds_in_flight_says_to_retry_when_the_earliest_hold_ends()
    {
        await using var client = CreateClient(await CreateLedgerAsync(), o => o.ReservationTtl = TimeSpan.FromMinutes(5));
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
        await client.PreflightAsync("researcher", 60, "acme");
        Time.Advance(TimeSpan.FromMinutes(1));
        await client.PreflightAsync("researcher", 30, "acme");

        var refused = await client.PreflightAsync("researcher", 20, "acme");

        Assert.Equal(RefusalPersistence.UntilHoldsEnd, refused.Persistence);
        Assert.Equal(Start + TimeSpan.FromMinutes(5), refused.RetryAt);
        Assert.Equal(TimeSpan.FromMinutes(4), refused.RetryAfter);
    }

    [Fact]
    public async Task A_refusal_by_a_spent_period_says_to_retry_when_the_period_ends()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Agent("acme", "researcher"), UsageMeter.Units, 100, BudgetPeriod.Month));
        await client.RecordAsync("researcher", 95, "acme");

        var ex = await Assert.ThrowsAsync<BudgetExhaustedException>(async () => await client.ReserveAsync("researcher", 10, "acme"));

        Assert.Equal(RefusalPersistence.UntilPeriodEnds, ex.Persistence);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), ex.RetryAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) - Start, ex.RetryAfter);
    }

    [Fact]
    public async Task A_refusal_no_wait_can_cure_is_permanent()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Day));
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("lifetime"), UsageMeter.Units, 10, BudgetPeriod.Lifetime));
        await client.RecordAsync("researcher", 10, "lifetime");

        var aboveTheLimit = await client.PreflightAsync("researcher", 101, "acme");
        var lifetimeSpent = await client.PreflightAsync("researcher", 1, "lifetime");

        Assert.Equal((RefusalPersistence.Permanent, (DateTimeOffset?)null), (aboveTheLimit.Persistence, aboveTheLimit.RetryAt));
        Assert.Equal((RefusalPersistence.Permanent, (DateTimeOffset?)null), (lifetimeSpent.Persistence, lifetimeSpent.RetryAt));
    }

    [Fact]
    public async Task A_refused_top_up_says_whether_waiting_helps()
    {
        await using var client = CreateClient(await CreateLedgerAsync());
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Week));
        await using var reservation = await client.ReserveAsync("researcher", 40, "acme");
        await client.RecordAsync(new RecordRequest("writer", 50) { CustomerId = "acme" });

        var refused = await reservation.TopUpAsync(20);

        Assert.False(refused.Approved);
        Assert.Equal(RefusalPersistence.UntilPeriodEnds, refused.Persistence);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), refused.RetryAt);
    }
}
