using AgentBill.Redis.Tests;
using StackExchange.Redis;

namespace AgentBill.Cli.Tests;

/// <summary>One test-owned redis-server for a test class; each test takes its own database, so ledgers never meet.</summary>
public sealed class RedisCliFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private int _nextDatabase;

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync("--databases", "64");
        Connection = await ConnectionMultiplexer.ConnectAsync(_server.EndPoint);
    }

    /// <summary>A configuration string naming a database no other test of the class uses.</summary>
    public (string Configuration, IDatabase Database) NewDatabase()
    {
        var database = Interlocked.Increment(ref _nextDatabase);
        return ($"{_server!.EndPoint},defaultDatabase={database}", Connection.GetDatabase(database));
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _server!.DisposeAsync();
    }
}
