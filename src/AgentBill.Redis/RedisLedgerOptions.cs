namespace AgentBill.Redis;

/// <summary>Settings of the Redis store. Checked by <see cref="RedisLedgerOptionsValidator"/>.</summary>
public sealed class RedisLedgerOptions
{
    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string, such as <c>localhost:6379</c> or
    /// <c>redis.example.com:6380,password=…,ssl=true</c>. When it is set, the store opens and owns its own
    /// connection; when it is not, it uses the <see cref="StackExchange.Redis.IConnectionMultiplexer"/> registered
    /// in the container.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the prefix of every key, so several applications can share one Redis. Defaults to
    /// <c>agentbill</c>. It must not contain braces (each key's hash tag is its customer's) or control characters.
    /// </summary>
    public string KeyPrefix { get; set; } = "agentbill";
}
