using AgentBill;
using AgentBill.Ledger;
using AgentBill.Server.Keys;
using AgentBill.Server.Keys.Stores;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the server's API keys.</summary>
public static class ApiKeysServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ApiKeys"/> over an <see cref="IApiKeyStore"/>: the one already registered, or else the one
    /// beside the ledger (its Redis, its SQLite file, or memory for the in-memory store).
    /// </summary>
    /// <param name="builder">The AgentBill registration whose store the keys live beside.</param>
    /// <returns>The same builder.</returns>
    public static IAgentBillBuilder AddAgentBillApiKeys(this IAgentBillBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton(static provider => ApiKeyStoreSelection.For(provider.GetRequiredService<IBudgetLedger>()));
        builder.Services.TryAddSingleton(static provider => new ApiKeys(provider.GetRequiredService<IApiKeyStore>(), provider.GetService<TimeProvider>()));
        return builder;
    }
}
