using StackExchange.Redis;

namespace AgentBill.Redis.Tests;

/// <summary>One redis-server and one connection, shared by the tests of a class; each ledger gets its own key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    internal RedisServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        Connection = await ConnectionMultiplexer.ConnectAsync(_server.EndPoint);
    }

    public RedisBudgetLedger CreateLedger(string? prefix = null, TimeProvider? time = null)
        => new(Connection, new RedisLedgerOptions { KeyPrefix = prefix ?? "t" + Guid.NewGuid().ToString("N"), Clock = RedisClock.Client, TimeProvider = time });

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await _server!.DisposeAsync();
    }
}
