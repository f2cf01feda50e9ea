using AgentBill.Server.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentBill.Http.Tests;

/// <summary>
/// A loopback server on the test's clock, and a container whose AgentBill is UseServer to it. The container keeps the
/// system clock: the HTTP client's retry delays and timeouts run on it (the server decides the ledger's time).
/// </summary>
internal sealed class RemoteBill : IAsyncDisposable
{
    private RemoteBill(LoopbackServer server, ServiceProvider services, FakeTimeProvider time)
    {
        Server = server;
        Services = services;
        Time = time;
    }

    public LoopbackServer Server { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public IAgentBill Bill => Services.GetRequiredService<IAgentBill>();

    public IAgentBillAdmin Admin => Services.GetRequiredService<IAgentBillAdmin>();

    /// <summary>Starts both; the container uses the admin key unless <paramref name="metering"/>.</summary>
    public static async Task<RemoteBill> StartAsync(bool metering = false, Action<AgentBillOptions>? options = null, Action<IHttpClientBuilder>? http = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
        var server = await LoopbackServer.StartAsync(configureHost: host => host.Services.AddSingleton<TimeProvider>(time));
        var services = new ServiceCollection();
        services.AddAgentBill(options).UseServer(server.BaseAddress, metering ? server.MeteringKey : server.AdminKey, http);
        return new RemoteBill(server, services.BuildServiceProvider(), time);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
