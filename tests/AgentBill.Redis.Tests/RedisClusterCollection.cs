namespace AgentBill.Redis.Tests;

/// <summary>One three-master cluster for every cluster test class: starting one takes a few seconds.</summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "Redis Cluster";
}
