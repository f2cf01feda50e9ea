namespace AgentBill.Cli.Tests;

/// <summary>Bad arguments print usage, exit 2, and change nothing; with no store chosen, one line says how to choose.</summary>
public sealed class ArgumentTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task A_limit_that_is_not_a_number_exits_2_with_usage_and_creates_no_ledger()
    {
        var run = await _workspace.SqliteAsync("budget", "set", "--customer", "alice", "--limit", "lots", "--period", "month");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage:", run.Error, StringComparison.Ordinal);
        Assert.Contains("agentbill budget set", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_workspace.LedgerPath));
    }

    [Fact]
    public async Task A_negative_limit_exits_2_naming_the_argument_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await _workspace.Client().SetBudgetAsync(new Budget(BudgetScope.Customer("alice"), UsageMeter.Units, 100, BudgetPeriod.Month), ct);

        var run = await _workspace.SqliteAsync("budget", "set", "--customer", "alice", "--limit", "-5", "--period", "month");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("limit", run.ErrorLines[0], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Usage:", run.Error, StringComparison.Ordinal);
        Assert.Equal(100, (await _workspace.Client().GetBudgetAsync(BudgetScope.Customer("alice"), UsageMeter.Units, ct))?.Limit);
    }

    [Fact]
    public async Task A_customer_id_with_control_characters_exits_2_and_changes_nothing()
    {
        var run = await _workspace.SqliteAsync("budget", "set", "--customer", "al\u0001ice", "--limit", "5", "--period", "month");

        Assert.Equal(2, run.ExitCode);
        Assert.False(File.Exists(_workspace.LedgerPath));
    }

    [Fact]
    public async Task An_agent_and_a_task_together_exit_2()
    {
        var run = await _workspace.SqliteAsync("budget", "set", "--customer", "alice", "--agent", "a", "--task", "t", "--limit", "5", "--period", "month");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not both", run.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_exits_2_with_usage()
    {
        var run = await _workspace.SqliteAsync("budgets");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_store_one_line_says_how_to_choose()
    {
        var run = await _workspace.RunAsync("status", "alice");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("--redis", line, StringComparison.Ordinal);
        Assert.Contains("--sqlite", line, StringComparison.Ordinal);
        Assert.Contains("AGENTBILL_SQLITE", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_environment_chooses_the_store_when_no_option_does()
    {
        _workspace.Environment["AGENTBILL_SQLITE"] = _workspace.LedgerPath;

        var run = await _workspace.RunAsync("budget", "set", "--customer", "alice", "--limit", "7", "--period", "day");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(7, (await _workspace.Client().GetBudgetAsync(BudgetScope.Customer("alice"), UsageMeter.Units, TestContext.Current.CancellationToken))?.Limit);
    }

    [Fact]
    public async Task Two_stores_at_once_exit_2()
    {
        var run = await _workspace.SqliteAsync("status", "alice", "--redis", "127.0.0.1:1");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
    }

    public void Dispose() => _workspace.Dispose();
}
