using AgentBill.Server.Keys.Stores;
using StackExchange.Redis;

namespace AgentBill.Server.RateLimiting;

/// <summary>
/// Per-key fixed windows in Redis, by the Redis server's clock: every server instance on the store counts into one
/// window, so two instances allow the limit once, not twice. One hash per key (<c>{prefix}:{rl:id}</c>, one slot) holds
/// the window's number and count, and expires two windows after its last request.
/// </summary>
internal sealed class RedisKeyRateLimiter(IConnectionMultiplexer redis, string keyPrefix, int permits, TimeSpan window) : IKeyRateLimiter
{
    // Returns 0 when the request may go on, else the seconds to the next window.
    private const string Count = """
        local t = redis.call('TIME')
        local now = tonumber(t[1])
        local size = tonumber(ARGV[1])
        local current = tostring(math.floor(now / size))
        local n
        if redis.call('HGET', KEYS[1], 'w') == current then
          n = redis.call('HINCRBY', KEYS[1], 'n', 1)
        else
          redis.call('HSET', KEYS[1], 'w', current, 'n', 1)
          n = 1
        end
        redis.call('EXPIRE', KEYS[1], size * 2)
        if n > tonumber(ARGV[2]) then
          return (math.floor(now / size) + 1) * size - now
        end
        return 0
        """;

    private readonly long _windowSeconds = (long)window.TotalSeconds;

    public async ValueTask<TimeSpan?> AcquireAsync(string keyId, CancellationToken cancellationToken)
    {
        var wait = (long)await RedisKeyCalls.Run(() => redis.GetDatabase().ScriptEvaluateAsync(
            Count, [(RedisKey)$"{keyPrefix}:{{rl:{keyId}}}"], [_windowSeconds, permits])).ConfigureAwait(false);
        return wait > 0 ? TimeSpan.FromSeconds(wait) : null;
    }
}
