using AgentBill;
using AgentBill.Server;
using AgentBill.Server.Keys;
using AgentBill.Server.Ledger;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AgentBill server's services on an <see cref="IAgentBillBuilder"/>.</summary>
public static class AgentBillServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds what <c>MapAgentBillServer()</c> needs: key authentication and its two policies, the key service (keys in
    /// this process unless an <see cref="IApiKeyStore"/> is registered), and the server's options.
    /// </summary>
    public static IAgentBillBuilder AddAgentBillServer(this IAgentBillBuilder builder, Action<AgentBillServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<AgentBillServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddAgentBillProtocol();
        services.AddLedgerEndpoints();
        builder.AddAgentBillApiKeys();
        services.AddHostedService<AgentBill.Server.Hosting.StoreWarmUp>();
        services.TryAddSingleton(static provider => AgentBill.Server.RateLimiting.KeyRateLimiterSelection.For(
            provider.GetRequiredService<AgentBill.Ledger.IBudgetLedger>(), provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<AgentBillServerOptions>>().Value));
        services.AddAuthentication(ApiKeyAuthentication.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthentication.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyAuthentication.MeteringPolicy, static policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthentication.Scheme)
                .RequireAuthenticatedUser())
            .AddPolicy(ApiKeyAuthentication.AdminPolicy, static policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthentication.Scheme)
                .RequireClaim(ApiKeyAuthentication.ScopeClaim, ApiKeyAuthentication.ClaimValue(ApiKeyScope.Admin)));
        return builder;
    }
}
