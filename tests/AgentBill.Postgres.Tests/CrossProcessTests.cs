using AgentBill.Testing;

namespace AgentBill.Postgres.Tests;

/// <summary>The guarantees hold across OS processes sharing one database: PostgreSQL's row locks, not a lock in one process.</summary>
public sealed class CrossProcessTests(PostgresFixture postgres) : IAsyncDisposable
{
    private readonly TestDatabases _databases = new(postgres);

    [Fact]
    public async Task Four_processes_of_16_callers_approve_exactly_the_budget_divided_by_the_estimate()
    {
        var dataSource = await _databases.CreateMigratedAsync();
        await using var bill = new AgentBillClient(new PostgresBudgetLedger(dataSource));
        await bill.SetBudgetAsync(new Budget(BudgetScope.Customer("shared"), UsageMeter.Units, 1_000, BudgetPeriod.Month));

        var workers = Enumerable.Range(0, 4).Select(_ => WorkerProcesses.Start("AgentBill.Postgres.Tests.Worker", "contend", dataSource.ConnectionString, "shared", "30", "16")).ToList();
        var approvals = await Task.WhenAll(workers.Select(async worker => await worker.StandardOutput.ReadLineAsync() ?? "worker failed: " + await worker.StandardError.ReadToEndAsync()));
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

        // ⌊1000 / 30⌋ = 33 of 64, wherever the callers run.
        var approved = approvals.Sum(line => Field(line!, "approved"));
        Assert.Equal(33, approved);
        Assert.Equal((0L, 990L), (held.Used, held.Reserved));
        var usage = await bill.GetUsageAsync(BudgetScope.Customer("shared"));
        Assert.Equal((approved * 30, approved * 30, 0L), (commits.Sum(line => Field(line, "committed")), usage.Used, usage.Reserved));
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();

    private static long Field(string line, string name)
    {
        Assert.StartsWith(name + "=", line, StringComparison.Ordinal);
        return long.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
