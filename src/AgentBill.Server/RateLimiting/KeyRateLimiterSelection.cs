using AgentBill.Ledger;
using AgentBill.Redis;

namespace AgentBill.Server.RateLimiting;

/// <summary>The limiter beside the ledger, like the keys: shared in Redis, per process otherwise; none when the limit is off.</summary>
internal static class KeyRateLimiterSelection
{
    public static IKeyRateLimiter For(IBudgetLedger ledger, AgentBillServerOptions options)
    {
        if (options.KeyRateLimit == 0)
        {
            return Unlimited.Instance;
        }

        return Hosting.ServerStore.Of(ledger) is RedisBudgetLedger redis
            ? new RedisKeyRateLimiter(redis.Connection, redis.KeyPrefix, options.KeyRateLimit, options.KeyRateLimitWindow)
            : new InProcessKeyRateLimiter(options.KeyRateLimit, options.KeyRateLimitWindow);
    }

    private sealed class Unlimited : IKeyRateLimiter
    {
        public static readonly Unlimited Instance = new();

        public ValueTask<TimeSpan?> AcquireAsync(string keyId, CancellationToken cancellationToken) => ValueTask.FromResult<TimeSpan?>(null);
    }
}
