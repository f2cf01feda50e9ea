namespace AgentBill.Cli.Tests;

/// <summary><c>ledger init</c> and <c>ledger ack-data-loss</c> on a real redis-server.</summary>
public sealed class LedgerCommandTests : IClassFixture<RedisCliFixture>, IDisposable
{
    private readonly RedisCliFixture _redis;
    private readonly TestWorkspace _workspace = new();

    public LedgerCommandTests(RedisCliFixture redis) => _redis = redis;

    [Fact]
    public async Task A_ledger_never_initialized_refuses_with_exit_6_until_init()
    {
        var (redis, _) = _redis.NewDatabase();

        var before = await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", "10", "-p", "day", "--redis", redis);
        var init = await _workspace.RunAsync("ledger", "init", "--json", "--redis", redis);
        var after = await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", "10", "-p", "day", "--redis", redis);

        Assert.Equal(6, before.ExitCode);
        Assert.Single(before.ErrorLines);
        Assert.Equal(0, init.ExitCode);
        Assert.True(init.Json.GetProperty("initialized").GetBoolean());
        Assert.Equal(0, after.ExitCode);
    }

    [Fact]
    public async Task Init_leaves_an_existing_ledger_as_it_is()
    {
        var (redis, _) = _redis.NewDatabase();
        await _workspace.RunAsync("ledger", "init", "--redis", redis);
        await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", "10", "-p", "day", "--redis", redis);

        Assert.Equal(0, (await _workspace.RunAsync("ledger", "init", "--redis", redis)).ExitCode);
        var budget = await _workspace.RunAsync("budget", "get", "-c", "alice", "--json", "--redis", redis);
        Assert.Equal(10, Assert.Single(budget.Json.EnumerateArray()).GetProperty("limit").GetInt64());
    }

    [Fact]
    public async Task A_lost_ledger_refuses_until_the_loss_is_acknowledged_with_yes()
    {
        var (redis, database) = _redis.NewDatabase();
        await _workspace.RunAsync("ledger", "init", "--redis", redis);
        await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", "10", "-p", "day", "--redis", redis);
        await database.ExecuteAsync("FLUSHDB"); // the data is gone, as after a restart without persistence

        var lost = await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", "10", "-p", "day", "--redis", redis);
        var unconfirmed = await _workspace.RunAsync("ledger", "ack-data-loss", "--redis", redis);
        var stillLost = await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", "10", "-p", "day", "--redis", redis);
        var acknowledged = await _workspace.RunAsync("ledger", "ack-data-loss", "--yes", "--json", "--redis", redis);
        var restored = await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", "10", "-p", "day", "--redis", redis);

        Assert.Equal(6, lost.ExitCode);
        Assert.Contains("ack-data-loss", Assert.Single(lost.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(7, unconfirmed.ExitCode);
        Assert.Equal(6, stillLost.ExitCode);
        Assert.Equal(0, acknowledged.ExitCode);
        Assert.True(acknowledged.Json.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(0, restored.ExitCode);
    }

    [Fact]
    public async Task Sqlite_init_makes_the_ledger_file()
    {
        var run = await _workspace.SqliteAsync("ledger", "init");

        Assert.Equal(0, run.ExitCode);
        Assert.True(File.Exists(_workspace.LedgerPath));
    }

    public void Dispose() => _workspace.Dispose();
}
