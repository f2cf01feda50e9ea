using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// The connection the store opens from <see cref="RedisLedgerOptions.Configuration"/>: made once, on first use,
/// and closed by the container that owns this object. A connection the application registered itself is never
/// replaced or closed by AgentBill.
/// </summary>
internal sealed class OwnedRedisConnection : IDisposable, IAsyncDisposable
{
    private readonly object _gate = new();
    private ConnectionMultiplexer? _connection;
    private bool _disposed;

    public IConnectionMultiplexer Connect(string configuration)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is null)
            {
                var options = ConfigurationOptions.Parse(configuration);
                // Keep trying in the background: an outage is the client's failure mode to handle, not a start-up crash.
                options.AbortOnConnectFail = false;
                _connection = ConnectionMultiplexer.Connect(options);
            }

            return _connection;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _connection?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        ConnectionMultiplexer? connection;
        lock (_gate)
        {
            _disposed = true;
            connection = _connection;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
