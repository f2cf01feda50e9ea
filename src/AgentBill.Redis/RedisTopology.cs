using StackExchange.Redis;

namespace AgentBill.Redis;

/// <summary>
/// Whether the connection leads to Redis Cluster, learned from the first connected server and then kept. It
/// decides whether the global scope's keys can join a customer's script: on a cluster they live in another slot.
/// </summary>
internal sealed class RedisTopology(IConnectionMultiplexer redis)
{
    private const int Unknown = 0;
    private const int Standalone = 1;
    private const int Cluster = 2;

    private int _kind;

    /// <summary>Gets whether the servers form a cluster.</summary>
    /// <exception cref="AgentBillUnavailableException">No server is connected yet, so nobody can tell.</exception>
    public bool IsCluster
    {
        get
        {
            var kind = Volatile.Read(ref _kind);
            if (kind == Unknown)
            {
                kind = Discover();
                Volatile.Write(ref _kind, kind);
            }

            return kind == Cluster;
        }
    }

    private int Discover()
    {
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (server.IsConnected)
            {
                return server.ServerType == ServerType.Cluster ? Cluster : Standalone;
            }
        }

        // Guessing would be wrong either way: "standalone" sends keys of two slots to a cluster, and "cluster"
        // leaves a standalone server's global budgets out of the check. A store no one can reach is unavailable.
        throw new AgentBillUnavailableException("Redis could not be reached: no server is connected.");
    }
}
