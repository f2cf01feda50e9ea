using AgentBill.Http;
using AgentBill.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentBill;

/// <summary>Keeps AgentBill's budgets on an AgentBill server.</summary>
public static class ServerAgentBillBuilderExtensions
{
    /// <summary>
    /// Replaces the store with an AgentBill server: the ledger calls go to <paramref name="serverUri"/>'s
    /// <c>/ledger/…</c> endpoints over an <see cref="HttpClient"/> of the <see cref="IHttpClientFactory"/> with the
    /// standard resilience handler, retrying only what the server applies once. Rules, ceilings and integrations
    /// run here as over any store.
    /// </summary>
    /// <param name="builder">The AgentBill registration.</param>
    /// <param name="serverUri">The server's absolute http or https address.</param>
    /// <param name="apiKey">An API key of the server: metering to gate and record, admin to set budgets and read reports.</param>
    /// <param name="configure">Changes the HTTP client (handlers, resilience), after AgentBill's own settings.</param>
    /// <exception cref="ArgumentException">The address is not absolute http(s), or the key is not an AgentBill key.</exception>
    public static IAgentBillBuilder UseServer(this IAgentBillBuilder builder, Uri serverUri, string apiKey, Action<IHttpClientBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var http = ServerHttpClient.Add(builder.Services, serverUri, apiKey);
        configure?.Invoke(http);
        builder.Services.Replace(ServiceDescriptor.Singleton<IBudgetLedger>(static provider =>
            new HttpBudgetLedger(provider.GetRequiredService<IHttpClientFactory>().CreateClient(ServerHttpClient.Name))));
        return builder;
    }
}
