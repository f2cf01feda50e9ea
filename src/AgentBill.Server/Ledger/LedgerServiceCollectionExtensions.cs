using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentBill.Server.Ledger;

/// <summary>Registers what the ledger endpoints need.</summary>
internal static class LedgerServiceCollectionExtensions
{
    public static IServiceCollection AddLedgerEndpoints(this IServiceCollection services)
    {
        services.TryAddSingleton<LedgerCalls>();
        return services;
    }
}
