using System.Diagnostics.Metrics;
using AgentBill.InMemory;
using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentBill;

/// <summary>Registers AgentBill with dependency injection.</summary>
public static class AgentBillServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAgentBill"/> and <see cref="IAgentBillAdmin"/> over the in-memory store, unless a
    /// store is registered as <see cref="IBudgetLedger"/>, and <see cref="IBudgetLedgerReports"/> as that same store. Options are validated at start-up. <c>[Gate]</c> methods
    /// use the container's client once <c>provider.UseAgentBillGates()</c> is called.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to choose the store with.</returns>
    public static IAgentBillBuilder AddAgentBill(this IServiceCollection services, Action<AgentBillOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AgentBillOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentBillOptions>, AgentBillOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBudgetLedger>(static provider => new InMemoryBudgetLedger(new InMemoryBudgetLedgerOptions { TimeProvider = provider.GetRequiredService<TimeProvider>() }));

        // The reports of whichever store is registered (UseSqlite and UseRedis replace IBudgetLedger): the same instance.
        services.TryAddSingleton(static provider => LedgerReports.Of(provider.GetRequiredService<IBudgetLedger>()));
        // [Gate] methods without a client of their own use AgentBillGate.DefaultClient, which only an explicit
        // provider.UseAgentBillGates() (or an assignment) sets: two containers never race to become it.
        services.TryAddSingleton(static provider => new AgentBillClient(
            provider.GetRequiredService<IBudgetLedger>(),
            provider.GetRequiredService<IOptions<AgentBillOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILogger<AgentBillClient>>(),
            provider.GetService<IMeterFactory>(),
            provider.GetServices<IBudgetAlertHandler>()));
        services.TryAddSingleton<IAgentBill>(static provider => provider.GetRequiredService<AgentBillClient>());
        services.TryAddSingleton<IAgentBillAdmin>(static provider => provider.GetRequiredService<AgentBillClient>());
        return new AgentBillBuilder(services);
    }
}
