using AgentBill.Testing;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Sqlite.Tests;

/// <summary>The guarantees hold across OS processes sharing one file (SQLite's lock, not a lock in one process), and survive <c>kill -9</c>.</summary>
public sealed class CrossProcessTests : IDisposable
{
    private readonly TempLedgerFiles _files = new();

    [Fact]
    public async Task Four_processes_of_16_callers_approve_exactly_the_budget_divided_by_the_estimate()
    {
        var path = _files.NewPath();
        await using var bill = new AgentBillClient(_files.Open(path));
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("shared"), UsageMeter.Units, 1_000, BudgetPeriod.Month));

        BudgetUsage? held = null;
        var (approved, committed) = await WorkerProcesses.ContendAsync(4, () => WorkerProcess.Start("contend", path, "shared", "30", "16"), async () => held = await bill.GetUsageAsync(BudgetScope.Customer("shared")));

        Assert.Equal(33, approved);
        Assert.Equal((0L, 990L), (held!.Used, held.Reserved));
        var usage = await bill.GetUsageAsync(BudgetScope.Customer("shared"));
        Assert.Equal((approved * 30, approved * 30, 0L), (committed, usage.Used, usage.Reserved));
    }

    [Fact]
    public async Task A_hold_of_a_killed_process_comes_back_after_its_ttl()
    {
        var path = _files.NewPath();
        // Both processes read one instant: the worker holds at it, the test's fake clock moves on from it.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bill = new AgentBillClient(_files.Open(path), timeProvider: time);
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 100, BudgetPeriod.Lifetime));

        using var worker = WorkerProcess.Start("hold", path, "acme", "100", "60", time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
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

    [Fact]
    public async Task Processes_killed_mid_load_leave_the_file_consistent_with_every_acknowledged_commit_and_their_holds_expire()
    {
        var path = _files.NewPath();
        await using (var setup = new AgentBillClient(_files.Open(path)))
        {
            await setup.SetBudgetAsync(new Budget(BudgetScope.Customer("acme"), UsageMeter.Units, 1_000_000, BudgetPeriod.Lifetime));
        }

        // Two processes of 8 callers reserve and commit in a loop; both are killed (SIGKILL) while calls are in flight.
        var workers = Enumerable.Range(0, 2).Select(_ => WorkerProcess.Start("load", path, "acme", "8")).ToList();
        foreach (var worker in workers)
        {
            for (var i = 0; i < 100; i++)
            {
                Assert.Equal("ok", await worker.StandardOutput.ReadLineAsync());
            }
        }

        foreach (var worker in workers)
        {
            worker.Kill(entireProcessTree: true);
        }

        var acknowledged = 200L;
        foreach (var worker in workers)
        {
            await worker.WaitForExitAsync();
            acknowledged += (await worker.StandardOutput.ReadToEndAsync()).Split('\n').Count(line => line == "ok");
        }

        await using (var check = new SqliteConnection($"Data Source={path}"))
        {
            await check.OpenAsync();
            await using var command = check.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", await command.ExecuteScalarAsync());
        }

        // A restarted process keeps the budget and every acknowledged commit; the dead processes' holds expire at their TTL.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var restarted = new AgentBillClient(_files.Open(path), timeProvider: time);
        var atRestart = await restarted.GetUsageAsync(BudgetScope.Customer("acme"));
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var afterTtl = await restarted.GetUsageAsync(BudgetScope.Customer("acme"));

        Assert.Equal(1_000_000L, atRestart.Limit);
        Assert.InRange(atRestart.Used, acknowledged, acknowledged + 16);
        Assert.InRange(atRestart.Reserved, 0, 16);
        Assert.Equal((atRestart.Used, 0L), (afterTtl.Used, afterTtl.Reserved));
    }

    public void Dispose() => _files.Dispose();
}
