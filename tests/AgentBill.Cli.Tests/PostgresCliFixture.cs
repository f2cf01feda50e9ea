using AgentBill.Postgres.Tests;

namespace AgentBill.Cli.Tests;

/// <summary>One test-owned PostgreSQL server for a test class; each test takes a database of its own.</summary>
public sealed class PostgresCliFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public async ValueTask InitializeAsync() => _server = await PostgresServer.StartAsync();

    /// <summary>The connection string of a new, empty database.</summary>
    public Task<string> NewDatabaseAsync() => _server!.CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
