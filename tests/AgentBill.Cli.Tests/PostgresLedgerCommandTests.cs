namespace AgentBill.Cli.Tests;

/// <summary><c>agentbill ledger init --postgres</c>: the explicit migration step of the PostgreSQL store, on a real server.</summary>
public sealed class PostgresLedgerCommandTests(PostgresCliFixture postgres) : IClassFixture<PostgresCliFixture>, IDisposable
{
    private readonly TestWorkspace _workspace = new();

    [Fact]
    public async Task A_database_never_initialized_refuses_until_ledger_init_then_init_again_changes_nothing()
    {
        var database = await postgres.NewDatabaseAsync();

        var before = await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", "10", "-p", "day", "--postgres", database);
        var init = await _workspace.RunAsync("ledger", "init", "--json", "--postgres", database);
        var set = await _workspace.RunAsync("budget", "set", "-c", "alice", "-l", "10", "-p", "day", "--postgres", database);
        var again = await _workspace.RunAsync("ledger", "init", "--postgres", database);
        var budget = await _workspace.RunAsync("budget", "get", "-c", "alice", "--json", "--postgres", database);

        Assert.Equal(1, before.ExitCode);
        Assert.Contains("ledger init --postgres", Assert.Single(before.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(0, init.ExitCode);
        Assert.Equal("postgres", init.Json.GetProperty("store").GetString());
        Assert.Equal(0, set.ExitCode);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(10, Assert.Single(budget.Json.EnumerateArray()).GetProperty("limit").GetInt64());
    }

    [Fact]
    public async Task The_store_is_chosen_by_its_environment_variable_too()
    {
        var database = await postgres.NewDatabaseAsync();
        _workspace.Environment["AGENTBILL_POSTGRES"] = database;

        Assert.Equal(0, (await _workspace.RunAsync("ledger", "init")).ExitCode);
        Assert.Equal(0, (await _workspace.RunAsync("budget", "set", "-c", "bob", "-l", "5", "-p", "month")).ExitCode);
    }

    public void Dispose() => _workspace.Dispose();
}
