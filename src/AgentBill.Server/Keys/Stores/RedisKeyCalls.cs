using StackExchange.Redis;

namespace AgentBill.Server.Keys.Stores;

/// <summary>Redis calls of the server's own data (keys, rate limits): a Redis that does not answer is an outage, as for the ledger.</summary>
internal static class RedisKeyCalls
{
    public static async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or ObjectDisposedException)
        {
            throw new AgentBillUnavailableException("Redis did not answer the server's key or rate-limit lookup: " + ex.Message, ex);
        }
    }
}
