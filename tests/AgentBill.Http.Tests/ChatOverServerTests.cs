using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Http.Tests;

/// <summary>The chat middleware, unchanged, over a ledger on the server.</summary>
public sealed class ChatOverServerTests
{
    [Fact]
    public async Task UseAgentBill_over_UseServer_charges_the_customer_on_the_server()
    {
        await using var remote = await RemoteBill.StartAsync();
        var alice = BudgetScope.Customer("alice");
        await remote.Admin.SetBudgetAsync(new Budget(alice, UsageMeter.MicroUsd, 10_000, BudgetPeriod.Lifetime));
        using var chat = new ChatClientBuilder(new FixedUsageChatClient(100, 50))
            .UseAgentBill(configure: o => o.AgentId = "support-bot")
            .Build(remote.Services);

        await chat.GetResponseAsync("Hi", new ChatOptions { ModelId = "gpt-4o-mini", AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = "alice" } });

        // Read on the server's own store, not through the client: the charge landed there (gpt-4o-mini: 100 in, 50 out = 45 µ$).
        var onServer = remote.Server.Services.GetService(typeof(IAgentBillAdmin)) as IAgentBillAdmin;
        Assert.Equal(45, (await onServer!.GetUsageAsync(alice, UsageMeter.MicroUsd)).Used);
        Assert.Empty(await onServer.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task A_refusal_decided_on_the_server_stops_the_chat_call_before_the_model()
    {
        await using var remote = await RemoteBill.StartAsync();
        await remote.Admin.SetBudgetAsync(new Budget(BudgetScope.Customer("bob"), UsageMeter.MicroUsd, 0, BudgetPeriod.Lifetime));
        var model = new FixedUsageChatClient(100, 50);
        using var chat = new ChatClientBuilder(model).UseAgentBill().Build(remote.Services);

        await Assert.ThrowsAsync<BudgetExhaustedException>(() => chat.GetResponseAsync("Hi", new ChatOptions { ModelId = "gpt-4o-mini", AdditionalProperties = new() { [AgentBillPropertyNames.CustomerId] = "bob" } }));

        Assert.Equal(0, model.Calls);
    }
}
