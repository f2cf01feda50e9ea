[assembly: AssemblyFixture(typeof(AgentBill.Postgres.Tests.PostgresFixture))]

namespace AgentBill.Postgres.Tests;

/// <summary>
/// One PostgreSQL server for the whole test assembly (initdb and a start take a second or two; a database takes
/// milliseconds): a test class asks for it in its constructor, and each test makes a database of its own with
/// <see cref="CreateDatabaseAsync"/>. Tests that crash or stop a server start their own <see cref="PostgresServer"/>.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    internal PostgresServer Server => _server!;

    /// <summary>Creates an empty database on the shared server.</summary>
    /// <returns>Its connection string.</returns>
    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync();

    public async ValueTask InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
