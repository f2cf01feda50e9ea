using AgentBill.Http;
using AgentBill.Ledger;
using AgentBill.Server.Tests;
using AgentBill.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Http.Tests;

/// <summary>
/// The store conformance suite, unchanged, through a real server: each ledger is an <see cref="HttpBudgetLedger"/>
/// (with UseServer's HTTP client and resilience) to a fresh loopback server whose in-memory store and clock are the
/// test's.
/// </summary>
public sealed class HttpLedgerConformanceTests : BudgetLedgerConformanceTests, IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    protected override async ValueTask<IBudgetLedger> CreateLedgerAsync()
    {
        // No rate limit: the suite sends a customer's whole open-hold cap (thousands of reserves) in seconds.
        var server = await LoopbackServer.StartAsync(configure: static o => o.KeyRateLimit = 0, configureHost: host => host.Services.AddSingleton<TimeProvider>(Time));
        _owned.Add(server);
        var services = new ServiceCollection();
        ServerHttpClient.Add(services, server.BaseAddress, server.AdminKey);
        var provider = services.BuildServiceProvider();
        _owned.Add(provider);
        return new HttpBudgetLedger(provider.GetRequiredService<IHttpClientFactory>().CreateClient(ServerHttpClient.Name));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }
}
