using AgentBill.Testing;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Redis.Tests;

/// <summary>The guarantees hold across OS processes sharing one Redis, not only across threads.</summary>
public sealed class CrossProcessTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Four_processes_of_32_callers_approve_exactly_the_budget_divided_by_the_estimate()
    {
        var prefix = "x" + Guid.NewGuid().ToString("N");
        var ledger = redis.CreateLedger(prefix);
        await using var bill = new AgentBillClient(ledger);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("shared"), UsageMeter.Units, 1_000, BudgetPeriod.Month));

        BudgetUsage? held = null;
        var (approved, committed) = await WorkerProcesses.ContendAsync(4, () => WorkerProcess.Start("contend", redis.Server.EndPoint, prefix, "shared", "30", "32"), async () => held = await bill.GetUsageAsync(BudgetScope.Customer("shared")));

        Assert.Equal(33, approved);
        Assert.Equal(990, held!.Reserved);
        var usage = await bill.GetUsageAsync(BudgetScope.Customer("shared"));
        Assert.Equal((committed, 0L), (usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_hold_of_a_killed_process_comes_back_after_its_ttl()
    {
        var prefix = "k" + Guid.NewGuid().ToString("N");
        // Both processes read one instant: the worker holds at it, the test's fake clock moves on from it.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bill = new AgentBillClient(redis.CreateLedger(prefix), timeProvider: time);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));

        using var worker = WorkerProcess.Start("hold", redis.Server.EndPoint, prefix, "acme", "100", "60", time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Assert.Equal("held", await worker.StandardOutput.ReadLineAsync());
        worker.Kill(entireProcessTree: true);
        await worker.WaitForExitAsync();

        time.Advance(TimeSpan.FromSeconds(59));
        var justBeforeTtl = await bill.PreflightAsync("researcher", 1, "acme");
        time.Advance(TimeSpan.FromSeconds(1));
        var atTtl = await bill.PreflightAsync("researcher", 100, "acme");

        Assert.False(justBeforeTtl.Approved);
        Assert.True(atTtl.Approved);
    }
}
