using System.Net;
using AgentBill;
using AgentBill.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// A ready AgentBill server as one <see cref="WebApplication"/>: what <c>agentbill serve</c> runs, and what a host
/// that needs nothing else of ASP.NET Core can run as it is. A host with its own app calls
/// <c>services.AddAgentBill().Use…().AddAgentBillServer()</c> and <c>app.MapAgentBillServer()</c> instead.
/// </summary>
public static class AgentBillServerApp
{
    /// <summary>Builds the server (not started): the store chosen by <paramref name="useStore"/>, Kestrel on <see cref="AgentBillServerOptions.Address"/>.</summary>
    /// <param name="useStore">Chooses the store, e.g. <c>agentbill =&gt; agentbill.UseRedis(...)</c>; the in-memory store when it does nothing.</param>
    /// <param name="configure">Sets the server's options.</param>
    /// <param name="configureHost">Anything else the host needs (logging, telemetry exporters, test services).</param>
    /// <exception cref="ArgumentException">The options ask for a non-loopback address without <see cref="AgentBillServerOptions.AllowPublicBind"/>, or are out of range.</exception>
    public static WebApplication Create(
        Action<IAgentBillBuilder> useStore,
        Action<AgentBillServerOptions>? configure = null,
        Action<WebApplicationBuilder>? configureHost = null)
    {
        ArgumentNullException.ThrowIfNull(useStore);
        var options = new AgentBillServerOptions();
        configure?.Invoke(options);
        var address = ListenAddress(options);

        var builder = WebApplication.CreateSlimBuilder();
        var agentBill = builder.Services.AddAgentBill();
        useStore(agentBill);
        agentBill.AddAgentBillServer(configure);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.Listen(address, options.Port, listen =>
            {
                if (options.CertificatePath is { } path)
                {
                    listen.UseHttps(path, options.CertificatePassword);
                }
            });
        });
        configureHost?.Invoke(builder);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAgentBillServer();
        return app;
    }

    private static IPAddress ListenAddress(AgentBillServerOptions options)
    {
        if (!IPAddress.TryParse(options.Address, out var address))
        {
            throw new ArgumentException($"'{options.Address}' is not an IP address.", nameof(options));
        }

        if (!IPAddress.IsLoopback(address) && !options.AllowPublicBind)
        {
            throw new ArgumentException($"The server listens on {address}, which other machines can reach: set AllowPublicBind (--public) to mean it.", nameof(options));
        }

        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "The port is 0 to 65535.");
        }

        if (options.MaxRequestBodyBytes is <= 0 or > AgentBillServerOptions.ProtocolMaxRequestBodyBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxRequestBodyBytes, "The body limit is 1 byte to 64 KB.");
        }

        if (options.KeyRateLimit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.KeyRateLimit, "The per-key rate limit is 0 (off) or more requests per window.");
        }

        if (options.KeyRateLimitWindow < TimeSpan.FromSeconds(1) || options.KeyRateLimitWindow > TimeSpan.FromDays(1) || options.KeyRateLimitWindow.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.KeyRateLimitWindow, "The rate-limit window is whole seconds from 1 s to 1 day.");
        }

        return address;
    }
}
