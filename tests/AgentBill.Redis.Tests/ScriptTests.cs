namespace AgentBill.Redis.Tests;

/// <summary>Scripts run by SHA; a server that forgot them (restart, failover, SCRIPT FLUSH) is sent them again.</summary>
public sealed class ScriptTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Calls_keep_working_after_the_server_flushes_its_scripts()
    {
        await using var bill = new AgentBillClient(redis.CreateLedger());
        var scope = BudgetScope.Customer("acme");
        await bill.SetBudgetAsync(new Budget(scope, UsageMeter.Units, 100, BudgetPeriod.Month));
        await bill.RecordAsync("researcher", 5, "acme");

        await redis.Connection.GetDatabase().ExecuteAsync("SCRIPT", "FLUSH");
        var held = await bill.PreflightAsync("researcher", 10, "acme");
        await bill.RecordAsync("researcher", 6, "acme");  // settles the hold just made

        var usage = await bill.GetUsageAsync(scope);
        Assert.True(held.Approved);
        Assert.Equal((11L, 0L), (usage.Used, usage.Reserved));
    }
}
