using AgentBill.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentBill.Http.Tests;

/// <summary>A <c>[Gate]</c> method (intercepted by the real generator) and the model call inside it, over UseServer.</summary>
public sealed class GateOverServerTests
{
    [Fact]
    public async Task A_gated_method_holds_on_the_server_and_its_model_call_is_charged_to_the_gate_customer()
    {
        await using var remote = await RemoteBill.StartAsync();
        var alice = BudgetScope.Customer("alice");
        await remote.Admin.SetBudgetAsync(new Budget(alice, UsageMeter.Units, 5, BudgetPeriod.Lifetime));
        using var chat = new ChatClientBuilder(new FixedUsageChatClient(100, 50)).UseAgentBill().Build(remote.Services);
        var agent = new GatedResearcher(remote.Bill, chat);

        Assert.Equal("ok", await agent.ResearchAsync("alice", "topic"));

        var onServer = remote.Server.Services.GetRequiredService<IAgentBillAdmin>();
        Assert.Equal(3, (await onServer.GetUsageAsync(alice)).Used);
        Assert.Equal(45, (await onServer.GetUsageAsync(alice, UsageMeter.MicroUsd)).Used);
        Assert.Empty(await onServer.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task A_gated_method_the_server_refuses_never_runs_and_leaves_no_hold()
    {
        await using var remote = await RemoteBill.StartAsync();
        await remote.Admin.SetBudgetAsync(new Budget(BudgetScope.Customer("bob"), UsageMeter.Units, 2, BudgetPeriod.Lifetime));
        var model = new FixedUsageChatClient(100, 50);
        using var chat = new ChatClientBuilder(model).UseAgentBill().Build(remote.Services);
        var agent = new GatedResearcher(remote.Bill, chat);

        await Assert.ThrowsAsync<BudgetExhaustedException>(() => agent.ResearchAsync("bob", "topic"));

        Assert.Equal(0, model.Calls);
        var onServer = remote.Server.Services.GetRequiredService<IAgentBillAdmin>();
        Assert.Empty(await onServer.GetOpenHoldsAsync("bob"));
        Assert.Equal(0, (await onServer.GetUsageAsync(BudgetScope.Customer("bob"))).Used);
    }
}

/// <summary>An agent as users write it: a <c>[Gate]</c> method that calls a gated chat client.</summary>
public sealed class GatedResearcher(IAgentBill bill, IChatClient chat)
{
    private readonly IAgentBill _bill = bill;

    /// <summary>Answers a topic for a customer, gated at 3 units.</summary>
    [Gate("researcher", EstimatedUnits = 3)]
    public async Task<string> ResearchAsync([CustomerId] string customerId, string topic)
        => (await chat.GetResponseAsync(topic, new ChatOptions { ModelId = "gpt-4o-mini" }).ConfigureAwait(false)).Text;
}
