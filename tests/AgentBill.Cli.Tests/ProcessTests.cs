using AgentBill.Redis;
using StackExchange.Redis;

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
    public async Task Redis_status_and_usage_json_as_processes_show_what_an_application_spent()
    {
        var ct = TestContext.Current.CancellationToken;
        var (redis, _) = _redis.NewDatabase();
        await RunAsync("ledger", "init", "--redis", redis);
        await RunAsync("budget", "set", "-c", "alice", "-l", "100", "-p", "month", "--redis", redis);
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis))
        await using (var application = new AgentBillClient(new RedisBudgetLedger(connection, new RedisLedgerOptions { CreateLedgerOnFirstUse = false })))
        {
            await application.RecordAsync(new RecordRequest("researcher", 30) { CustomerId = "alice" }, ct);
            Assert.True((await application.PreflightAsync(new PreflightRequest("researcher") { CustomerId = "alice", EstimatedUnits = 20 }, ct)).Approved);
            Assert.False((await application.PreflightAsync(new PreflightRequest("writer") { CustomerId = "alice", EstimatedUnits = 80 }, ct)).Approved);
        }

        var status = await RunAsync("status", "alice", "--json", "--redis", redis);
        var usage = await RunAsync("usage", "--customer", "alice", "--by", "customer", "--period", "month", "--json", "--redis", redis);

        var budget = Assert.Single(status.Json.GetProperty("budgets").EnumerateArray());
        Assert.Equal((30, 20, 50), (budget.GetProperty("used").GetInt64(), budget.GetProperty("reserved").GetInt64(), budget.GetProperty("remaining").GetInt64()));
        Assert.Equal("budgetExhausted", status.Json.GetProperty("lastRefusal").GetProperty("reason").GetString());
        Assert.Single(status.Json.GetProperty("openHolds").EnumerateArray());
        var row = Assert.Single(usage.Json.EnumerateArray());
        Assert.Equal((30, 20), (row.GetProperty("used").GetInt64(), row.GetProperty("reserved").GetInt64()));
    }

    [Fact]
    public async Task Sqlite_usage_csv_as_a_process()
    {
        await using (var application = _workspace.Client())
        {
            await application.RecordAsync(new RecordRequest("researcher", 1_250_000) { CustomerId = "alice", Meter = UsageMeter.MicroUsd }, TestContext.Current.CancellationToken);
        }

        var run = await RunAsync("usage", "--by", "customer", "--period", "lifetime", "--csv", "--sqlite", _workspace.LedgerPath);

        Assert.Equal(["customer,kind,agent,task,meter,period,used,reserved", "alice,customer,,,microUsd,all,1250000,0"], run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
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
