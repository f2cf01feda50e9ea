namespace AgentBill.Cli.Tests;

/// <summary>The built tool as a real process, against a real redis-server and a temp SQLite file; its JSON parsed.</summary>
public sealed class ProcessTests : IClassFixture<RedisCliFixture>, IDisposable
{
    private readonly RedisCliFixture _redis;
    private readonly TestWorkspace _workspace = new();

    public ProcessTests(RedisCliFixture redis) => _redis = redis;

    [Fact]
    public async Task Redis_init_then_budget_set_then_budget_get_as_processes()
    {
        var (redis, _) = _redis.NewDatabase();

        var init = await RunAsync("ledger", "init", "--json", "--redis", redis);
        var set = await RunAsync("budget", "set", "--customer", "alice", "--agent", "researcher", "--meter", "tokens", "--limit", "5000", "--period", "month", "--json", "--redis", redis);
        var get = await RunAsync("budget", "get", "--customer", "alice", "--agent", "researcher", "--json", "--redis", redis);

        Assert.Equal("redis", init.Json.GetProperty("store").GetString());
        Assert.Equal("agent", set.Json.GetProperty("scope").GetProperty("kind").GetString());
        Assert.Equal("researcher", set.Json.GetProperty("scope").GetProperty("agentId").GetString());
        var budget = Assert.Single(get.Json.EnumerateArray());
        Assert.Equal("tokens", budget.GetProperty("meter").GetString());
        Assert.Equal(5000, budget.GetProperty("limit").GetInt64());
        Assert.Equal(5000, budget.GetProperty("remaining").GetInt64());
    }

    [Fact]
    public async Task Sqlite_budget_set_then_get_through_the_environment_variable_free_option()
    {
        var set = await RunAsync("budget", "set", "-c", "bob", "-l", "250", "-p", "week", "--json", "--sqlite", _workspace.LedgerPath);
        var get = await RunAsync("budget", "get", "-c", "bob", "--json", "--sqlite", _workspace.LedgerPath);

        Assert.Equal(250, set.Json.GetProperty("limit").GetInt64());
        Assert.Equal("week", Assert.Single(get.Json.EnumerateArray()).GetProperty("period").GetString());
    }

    [Fact]
    public async Task Models_json_as_a_process()
    {
        var run = await RunAsync("models", "claude", "--json");

        Assert.Equal(AgentBill.Pricing.ModelPriceTable.BuiltIn.Version, run.Json.GetProperty("version").GetString());
        Assert.All(run.Json.GetProperty("models").EnumerateArray(), model => Assert.Contains("claude", model.GetProperty("model").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_arguments_as_a_process_exit_2_with_usage_and_write_nothing()
    {
        var run = await CliProcess.RunAsync(_workspace.Home, "budget", "set", "--customer", "alice", "--limit", "many", "--period", "month", "--sqlite", _workspace.LedgerPath);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Usage:", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
        Assert.False(File.Exists(_workspace.LedgerPath));
    }

    [Fact]
    public async Task An_unreachable_redis_as_a_process_is_one_line_and_exit_3()
    {
        var run = await CliProcess.RunAsync(_workspace.Home, "status", "alice", "--redis", $"127.0.0.1:{UnreachableStoreTests.ClosedPort()},connectTimeout=500");

        Assert.Equal(3, run.ExitCode);
        Assert.Single(run.ErrorLines);
    }

    private async Task<CliRun> RunAsync(params string[] args)
    {
        var run = await CliProcess.RunAsync(_workspace.Home, args);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    public void Dispose() => _workspace.Dispose();
}
