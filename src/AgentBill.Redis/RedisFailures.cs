using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>Tells the ways Redis can be out of reach apart from mistakes, and turns them into the one exception the client's failure modes act on.</summary>
internal static class RedisFailures
{
    // Server replies that mean "not now" rather than "wrong": loading after a restart, a replica or a cluster
    // mid-failover, a slot in migration, another script running too long. The command did not run; a retry may.
    private static readonly string[] TransientReplies = ["LOADING", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "BUSY", "NOREPLICAS"];

    public static async Task<T> GuardAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new AgentBillUnavailableException("Redis could not be reached: " + ex.Message, ex);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith(LedgerScript.ErrorPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(ex.Message[LedgerScript.ErrorPrefix.Length..].TrimStart(), ex);
        }
    }

    public static async Task GuardAsync(Func<Task> operation)
        => await GuardAsync(async () =>
        {
            await operation().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);

    private static bool IsUnavailable(Exception ex) => ex switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException or ObjectDisposedException => true,
        RedisServerException server => Array.Exists(TransientReplies, reply => server.Message.StartsWith(reply + " ", StringComparison.Ordinal) || server.Message == reply),
        _ => false,
    };
}
