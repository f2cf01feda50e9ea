using System.Net.Http.Headers;
using AgentBill.Server;
using AgentBill.Server.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Server.Tests;

/// <summary>
/// A real AgentBill server on a free loopback port (Kestrel, real sockets), with one admin key and one metering key
/// made at start. Shared with the .NET client's tests as a linked file.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(WebApplication app, Uri baseAddress, string adminKey, string meteringKey)
    {
        App = app;
        BaseAddress = baseAddress;
        AdminKey = adminKey;
        MeteringKey = meteringKey;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public Uri BaseAddress { get; }

    public string AdminKey { get; }

    public string MeteringKey { get; }

    /// <summary>Starts a server. <paramref name="useStore"/> picks the store (in-memory when null); <paramref name="map"/> adds test endpoints.</summary>
    public static async Task<LoopbackServer> StartAsync(
        Action<IAgentBillBuilder>? useStore = null,
        Action<AgentBillServerOptions>? configure = null,
        Action<WebApplicationBuilder>? configureHost = null,
        Action<WebApplication>? map = null)
    {
        var app = AgentBillServerApp.Create(
            useStore ?? (static _ => { }),
            options =>
            {
                options.Port = 0;
                configure?.Invoke(options);
            },
            configureHost);
        map?.Invoke(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var keys = app.Services.GetRequiredService<ApiKeys>();
        var admin = await keys.CreateAsync("test admin", ApiKeyScope.Admin).ConfigureAwait(false);
        var metering = await keys.CreateAsync("test metering", ApiKeyScope.Metering).ConfigureAwait(false);
        return new LoopbackServer(app, new Uri(address + "/"), admin.Secret, metering.Secret);
    }

    /// <summary>An HTTP client to the server that sends <paramref name="key"/> as its bearer key (none when null).</summary>
    public HttpClient CreateClient(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
