using AgentBill.Server.Protocol;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the SDK protocol's endpoints need.</summary>
internal static class ProtocolServiceCollectionExtensions
{
    /// <summary>The in-flight idempotency keys and the store health check behind <c>/health</c>.</summary>
    public static IServiceCollection AddAgentBillProtocol(this IServiceCollection services)
    {
        services.AddSingleton<InFlightKeys>();
        services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
        services.AddAgentBillServerTelemetry();
        return services;
    }
}
