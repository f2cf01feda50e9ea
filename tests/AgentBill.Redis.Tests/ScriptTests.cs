using AgentBill.Ledger;

namespace AgentBill.Redis.Tests;

/// <summary>The ledger's functions run by name; a server that lost them (restart, new node, FUNCTION FLUSH) is loaded again.</summary>
public sealed class ScriptTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Calls_keep_working_after_the_server_flushes_its_functions()
    {
        await using var bill = new AgentBillClient(redis.CreateLedger());
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await bill.RecordAsync("researcher", 5, "acme");

        await redis.Connection.GetDatabase().ExecuteAsync("FUNCTION", "FLUSH");
        var held = await bill.PreflightAsync("researcher", 10, "acme");
        await bill.RecordAsync("researcher", 6, "acme");  // settles the hold just made

        var usage = await bill.GetUsageAsync(scope);
        Assert.True(held.Approved);
        Assert.Equal((11L, 0L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_hold_id_already_open_is_refused_as_an_invalid_operation_and_holds_nothing_more()
    {
        var ledger = redis.CreateLedger();
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        await ledger.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Lifetime), CancellationToken.None);
        var call = new LedgerCall
        {
            CustomerId = "acme",
            AgentId = "researcher",
            Meter = UsageMeter.Units,
            Now = now,
            Periods = new PeriodCalendar(TimeZoneInfo.Utc).KeysAt(now),
            RememberUntil = now.AddHours(1),
        };
        await ledger.ReserveAsync(new ReserveCommand(call, "hold-1", 10, now.AddMinutes(5)), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await ledger.ReserveAsync(new ReserveCommand(call, "hold-1", 20, now.AddMinutes(5)), CancellationToken.None));

        var usage = await ledger.GetUsageAsync(new BudgetKey(BudgetScope.Customer("acme"), UsageMeter.Units), PeriodKeys.Lifetime, now, CancellationToken.None);
        Assert.Equal("a hold with this id is already open", ex.Message);
        Assert.Equal(10, usage.Reserved);
    }
}
