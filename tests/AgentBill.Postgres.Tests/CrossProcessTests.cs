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

        BudgetUsage? held = null;
        var (approved, committed) = await WorkerProcesses.ContendAsync(
            4,
            () => WorkerProcesses.Start("AgentBill.Postgres.Tests.Worker", "contend", dataSource.ConnectionString, "shared", "30", "16"),
            async () => held = await bill.GetUsageAsync(BudgetScope.Customer("shared")));

        // ⌊1000 / 30⌋ = 33 of 64, wherever the callers run.
        Assert.Equal(33, approved);
        Assert.Equal((0L, 990L), (held!.Used, held.Reserved));
        var usage = await bill.GetUsageAsync(BudgetScope.Customer("shared"));
        Assert.Equal((approved * 30, approved * 30, 0L), (committed, usage.Used, usage.Reserved));
    }

    public ValueTask DisposeAsync() => _databases.DisposeAsync();
}
