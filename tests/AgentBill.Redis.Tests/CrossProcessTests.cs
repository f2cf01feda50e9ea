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

        var workers = Enumerable.Range(0, 4).Select(_ => WorkerProcess.Start("contend", redis.Server.EndPoint, prefix, "shared", "30", "32")).ToList();
        var approvals = await Task.WhenAll(workers.Select(worker => worker.StandardOutput.ReadLineAsync()));
        var held = await bill.GetUsageAsync(BudgetScope.Customer("shared"));
        foreach (var worker in workers)
        {
            await worker.StandardInput.WriteLineAsync("commit");
        }

        var commits = await Task.WhenAll(workers.Select(async worker =>
        {
            var line = await worker.StandardOutput.ReadLineAsync();
            await worker.WaitForExitAsync();
            Assert.True(worker.ExitCode == 0, await worker.StandardError.ReadToEndAsync());
            return line!;
        }));

        Assert.Equal(33, approvals.Sum(line => Field(line!, "approved")));
        Assert.Equal(990, held.Reserved);
        var usage = await bill.GetUsageAsync(BudgetScope.Customer("shared"));
        Assert.Equal((commits.Sum(line => Field(line, "committed")), 0L), (usage.Used, usage.Reserved));
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

    private static long Field(string line, string name)
        => long.Parse(line.Split(' ').Single(part => part.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..], CultureInfo.InvariantCulture);
}
