using AgentBill.Ledger;
using AgentBill.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace AgentBill;

/// <summary>Puts AgentBill's budgets in Redis: <c>services.AddAgentBill().UseRedis("localhost:6379")</c>.</summary>
public static class RedisAgentBillBuilderExtensions
{
    /// <summary>Keeps budgets in the Redis a connection string names (password and TLS as StackExchange.Redis reads them).</summary>
    /// <param name="builder">The AgentBill builder.</param>
    /// <param name="configuration">The connection string, such as <c>localhost:6379</c>.</param>
    /// <param name="configure">Sets the key prefix.</param>
    public static IAgentBillBuilder UseRedis(this IAgentBillBuilder builder, string configuration, Action<RedisLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        var options = new RedisLedgerOptions { Configuration = configuration };
        configure?.Invoke(options);
        // The connection is made lazily, once, and owned by the container, which disposes it.
        builder.Services.TryAddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(Configure(configuration)));
        return builder.UseRedisLedger(options);
    }

    /// <summary>Keeps budgets in Redis through the <see cref="IConnectionMultiplexer"/> registered in the container.</summary>
    /// <param name="builder">The AgentBill builder.</param>
    /// <param name="configure">Sets the key prefix.</param>
    public static IAgentBillBuilder UseRedis(this IAgentBillBuilder builder, Action<RedisLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new RedisLedgerOptions();
        configure?.Invoke(options);
        return builder.UseRedisLedger(options);
    }

    private static IAgentBillBuilder UseRedisLedger(this IAgentBillBuilder builder, RedisLedgerOptions options)
    {
        _ = new RedisKeys(options.KeyPrefix); // refuses a bad prefix at registration, not at the first call
        builder.Services.Replace(ServiceDescriptor.Singleton<IBudgetLedger>(provider => new RedisBudgetLedger(provider.GetRequiredService<IConnectionMultiplexer>(), options)));
        return builder;
    }

    private static ConfigurationOptions Configure(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Keep trying in the background: an outage is AgentBill's failure mode to handle, not a start-up crash.
        options.AbortOnConnectFail = false;
        return options;
    }
}
