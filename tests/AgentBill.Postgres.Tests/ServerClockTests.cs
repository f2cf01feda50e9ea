using AgentBill.Ledger;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Postgres.Tests;

/// <summary>
/// Under the database's clock (the default) a client's wrong clock cannot move a hold's expiry or a call's period:
/// the hold lives its TTL from the database's now, and a client too far off to name the database's period is refused
/// with nothing done.
/// </summary>
public sealed class ServerClockTests(PostgresFixture postgres) : IAsyncDisposable
{
    private readonly TestDatabases _databases = new(postgres);

    [Fact]
    public async Task A_hold_lives_its_ttl_from_the_databases_now_whatever_the_clients_clock_says()
    {
        var ledger = new PostgresBudgetLedger(await _databases.CreateMigratedAsync());
        // Twenty hours ahead: within the day's neighbours, so the call is counted, in the database's day.
        var ahead = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(20));
        await using var early = new AgentBillClient(ledger, timeProvider: ahead);
        await using var honest = new AgentBillClient(ledger);
        await honest.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Day));

        var held = await early.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "acme", EstimatedUnits = 60, Ttl = TimeSpan.FromMinutes(10) });

        Assert.True(held.Approved);
        // The database's now plus the TTL, not the client's: an honest client sees the hold as open and the budget held.
        Assert.InRange(held.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddMinutes(5), DateTimeOffset.UtcNow.AddMinutes(15));
        Assert.Single(await honest.GetOpenHoldsAsync("acme"));
        Assert.Equal(60, (await honest.GetUsageAsync(BudgetScope.Customer("acme"), period: BudgetPeriod.Day)).Reserved);
        Assert.False((await honest.PreflightAsync("researcher", 50, "acme")).Approved);
    }

    [Fact]
    public async Task A_client_days_off_is_refused_as_skewed_and_nothing_is_held()
    {
        var ledger = new PostgresBudgetLedger(await _databases.CreateMigratedAsync());
        await using var honest = new AgentBillClient(ledger);
        await honest.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Month));
        await using var late = new AgentBillClient(ledger, timeProvider: new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-3)));

        var refused = await Assert.ThrowsAsync<PostgresClockSkewException>(async () => await late.PreflightAsync("researcher", 10, "acme"));

        Assert.True(refused.Skew < TimeSpan.FromDays(-2));
        var usage = await honest.GetUsageAsync(BudgetScope.Customer("acme"), period: BudgetPeriod.Month);
        Assert.Equal((0L, 0L), (usage.Used, usage.Reserved));
        Assert.Empty(await honest.GetOpenHoldsAsync("acme"));
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
