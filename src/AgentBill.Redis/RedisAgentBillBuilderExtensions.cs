using AgentBill.Ledger;
using AgentBill.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace AgentBill;

/// <summary>Puts AgentBill's budgets in Redis: <c>services.AddAgentBill().UseRedis("localhost:6379")</c>.</summary>
public static class RedisAgentBillBuilderExtensions
{
    /// <summary>Keeps budgets in the Redis a configuration string names; password, TLS and timeouts go in the string as StackExchange.Redis reads them.</summary>
    /// <param name="builder">The AgentBill builder.</param>
    /// <param name="configuration">The configuration string, such as <c>localhost:6379</c> or <c>redis.example.com:6380,password=…,ssl=true</c>.</param>
    /// <param name="configure">Sets the other options: key prefix, clock, <see cref="RedisLedgerOptions.CreateLedgerOnFirstUse"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is empty or not a configuration string.</exception>
    public static IAgentBillBuilder UseRedis(this IAgentBillBuilder builder, string configuration, Action<RedisLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        RedisLedgerOptionsValidator.ThrowIfInvalid(new RedisLedgerOptions { Configuration = configuration }, nameof(configuration));
        return builder.UseRedis(options =>
        {
            options.Configuration = configuration;
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Keeps budgets in Redis: through the connection <see cref="RedisLedgerOptions.Configuration"/> names, or when it
    /// is not set, through the <see cref="IConnectionMultiplexer"/> registered in the container. The options are
    /// validated when the store is first resolved, and at start-up in a host.
    /// </summary>
    /// <param name="builder">The AgentBill builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IAgentBillBuilder UseRedis(this IAgentBillBuilder builder, Action<RedisLedgerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<RedisLedgerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisLedgerOptions>, RedisLedgerOptionsValidator>());
        services.TryAddSingleton<OwnedRedisConnection>();
        services.Replace(ServiceDescriptor.Singleton<IBudgetLedger>(static provider =>
        {
            var settings = provider.GetRequiredService<IOptions<RedisLedgerOptions>>().Value;
            var redis = settings.Configuration is { } configuration
                ? provider.GetRequiredService<OwnedRedisConnection>().Connect(configuration)
                : provider.GetService<IConnectionMultiplexer>()
                    ?? throw new InvalidOperationException("UseRedis() needs a configuration string (RedisLedgerOptions.Configuration) or an IConnectionMultiplexer registered in the container.");
            settings.TimeProvider ??= provider.GetService<TimeProvider>();
            return new RedisBudgetLedger(redis, settings);
        }));
        return builder;
    }
}
