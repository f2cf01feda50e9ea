namespace AgentBill.Cli.Tests;

public sealed class BudgetCommandTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task Set_stores_the_budget_an_application_then_reads()
    {
        var run = await _workspace.SqliteAsync("budget", "set", "--customer", "alice", "--limit", "100", "--period", "month", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(100, run.Json.GetProperty("limit").GetInt64());
        Assert.Equal("month", run.Json.GetProperty("period").GetString());
        var budget = await _workspace.Client().GetBudgetAsync(BudgetScope.Customer("alice"), UsageMeter.Units, TestContext.Current.CancellationToken);
        Assert.Equal(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month), budget);
    }

    [Fact]
    public async Task Set_names_agent_and_task_scopes_and_meters()
    {
        Assert.Equal(0, (await _workspace.SqliteAsync("budget", "set", "-c", "alice", "--agent", "researcher", "-m", "tokens", "-l", "5000", "-p", "day")).ExitCode);
        Assert.Equal(0, (await _workspace.SqliteAsync("budget", "set", "-c", "alice", "--task", "t-1", "-m", "microUsd", "-l", "2000000", "-p", "lifetime")).ExitCode);

        var client = _workspace.Client();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(5000, (await client.GetBudgetAsync(BudgetScope.Agent("alice", "researcher"), UsageMeter.Tokens, ct))?.Limit);
        Assert.Equal(2_000_000, (await client.GetBudgetAsync(BudgetScope.Task("alice", "t-1"), UsageMeter.MicroUsd, ct))?.Limit);
    }

    [Fact]
    public async Task Get_shows_the_limit_with_usage_in_the_current_period()
    {
        var client = _workspace.Client();
        var ct = TestContext.Current.CancellationToken;
        await client.SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month), ct);
        await client.RecordAsync(new RecordRequest("researcher", 30) { CustomerId = "alice" }, ct);
        await client.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "alice", EstimatedUnits = 20 }, ct);

        var run = await _workspace.SqliteAsync("budget", "get", "--customer", "alice", "--json");

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.Json.EnumerateArray());
        Assert.Equal(100, line.GetProperty("limit").GetInt64());
        Assert.Equal(30, line.GetProperty("used").GetInt64());
        Assert.Equal(20, line.GetProperty("reserved").GetInt64());
        Assert.Equal(50, line.GetProperty("remaining").GetInt64());
    }

    [Fact]
    public async Task Get_without_a_budget_exits_4()
    {
        var run = await _workspace.SqliteAsync("budget", "get", "--customer", "nobody");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("No budget is set", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rm_removes_the_budget_and_a_second_rm_exits_4()
    {
        var ct = TestContext.Current.CancellationToken;
        await _workspace.Client().SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month), ct);

        Assert.Equal(0, (await _workspace.SqliteAsync("budget", "rm", "--customer", "alice")).ExitCode);
        Assert.Null(await _workspace.Client().GetBudgetAsync(BudgetScope.Customer("alice"), UsageMeter.Units, ct));
        Assert.Equal(4, (await _workspace.SqliteAsync("budget", "rm", "--customer", "alice")).ExitCode);
    }

    [Fact]
    public async Task Table_output_lists_the_budget_for_a_person()
    {
        await _workspace.Client().SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 1_500, BudgetPeriod.Day), TestContext.Current.CancellationToken);

        var run = await _workspace.SqliteAsync("budget", "get", "--customer", "alice");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("1,500", run.Console, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    public void Dispose() => _workspace.Dispose();
}
