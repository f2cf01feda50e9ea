using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentBill.Server.Keys;
using AgentBill.Server.Keys.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Server.Tests.Keys;

/// <summary>A key store that does not answer is an outage (503, retry), never "your key is bad" (401) or a 500.</summary>
public sealed class KeyStoreOutageTests
{
    [Fact]
    public async Task A_key_store_that_does_not_answer_is_answered_503_store_unavailable_and_nothing_is_held()
    {
        var store = new SwitchableKeyStore();
        await using var server = await LoopbackServer.StartAsync(configureHost: host => host.Services.AddSingleton<IApiKeyStore>(store));
        using var client = server.CreateClient(server.MeteringKey);
        store.Down = true;

        var response = await client.PostAsJsonAsync("preflight", new { agent_id = "a", customer_id = "alice", estimated_units = 1 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("store_unavailable", (string)(await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["error"]!);
        Assert.Equal(0, (await server.Services.GetRequiredService<IAgentBillAdmin>().GetUsageAsync(BudgetScope.Customer("alice"), cancellationToken: TestContext.Current.CancellationToken)).Reserved);
    }

    private sealed class SwitchableKeyStore : IApiKeyStore
    {
        private readonly InMemoryApiKeyStore _inner = new();

        public volatile bool Down;

        public ValueTask<ApiKeyRecord?> FindAsync(string hash, CancellationToken cancellationToken = default)
            => Down ? throw new AgentBillUnavailableException("keys down") : _inner.FindAsync(hash, cancellationToken);

        public ValueTask AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default) => _inner.AddAsync(record, cancellationToken);

        public ValueTask<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) => _inner.ListAsync(cancellationToken);

        public ValueTask<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) => _inner.RevokeAsync(id, at, cancellationToken);
    }
}
