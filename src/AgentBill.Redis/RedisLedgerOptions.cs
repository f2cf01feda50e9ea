namespace AgentBill.Redis;

/// <summary>Settings of the Redis store.</summary>
public sealed class RedisLedgerOptions
{
    /// <summary>Gets or sets the connection string (password, TLS and timeouts go here, as StackExchange.Redis reads them).</summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the prefix of every key, so several applications can share one Redis. Defaults to
    /// <c>agentbill</c>. It must not contain braces: each key's hash tag is the customer's.
    /// </summary>
    public string KeyPrefix { get; set; } = "agentbill";
}
