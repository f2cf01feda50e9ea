using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace AgentBill.Agents.AI.Tests.Gating;

public sealed class ExactlyOnceTests
{
    [Fact]
    public async Task A_chat_client_the_user_gated_is_used_and_each_round_trip_is_held_once()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var model = new ToolCallingModel(toolRounds: 2);
        var heldDuringCalls = new List<long>();
        model.Delay = async _ => heldDuringCalls.Add(await bill.ReservedAsync("acme"));
        var agent = Agents.GatedTwice(model, bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        var response = await agent.RunAsync("Research it.");

        Assert.Equal([Agents.RoundTrip, Agents.RoundTrip, Agents.RoundTrip], heldDuringCalls);
        Assert.Equal(3 * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(3, AgentRunUsage.From(response.AdditionalProperties)!.ModelCalls);
        Assert.Same(agent.GetService<AgentBillChatClient>(), agent.GetService<FunctionInvokingChatClient>()!.GetService<AgentBillChatClient>());
    }

    [Fact]
    public async Task The_gate_inserted_for_an_ungated_agent_sits_below_function_invocation()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var model = new ToolCallingModel(toolRounds: 2);
        var heldDuringCalls = new List<long>();
        model.Delay = async _ => heldDuringCalls.Add(await bill.ReservedAsync("acme"));
        var agent = Agents.Ungated(model, bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        await agent.RunAsync("Research it.");

        Assert.Equal([Agents.RoundTrip, Agents.RoundTrip, Agents.RoundTrip], heldDuringCalls);
        Assert.NotNull(agent.GetService<FunctionInvokingChatClient>()!.GetService<AgentBillChatClient>());
        Assert.Equal(3 * Agents.RoundTrip, await bill.UsedAsync("acme"));
    }

    [Fact]
    public async Task The_rebuilt_agent_keeps_its_id_name_and_instructions()
    {
        await using var bill = Bills.Create();
        var model = new ToolCallingModel(toolRounds: 0);
        var original = model.AsAIAgent(new ChatClientAgentOptions { Name = "researcher", ChatOptions = new() { Instructions = "Be brief." } });

        var agent = original.AsBuilder().UseAgentBill(bill, o => Agents.Exact(o.Gate)).Build();
        await agent.RunAsync("Hi.");

        Assert.Equal(original.Id, agent.Id);
        Assert.Equal("researcher", agent.Name);
        Assert.Equal("Be brief.", model.Received[0]!.Instructions);
    }

    [Fact]
    public void A_gate_outside_the_chat_clients_tool_loop_fails_the_build()
    {
        using var bill = Bills.Create();
        var agent = new ToolCallingModel(toolRounds: 1).AsBuilder()
            .UseAgentBill(bill, Agents.Exact)
            .UseFunctionInvocation()
            .Build()
            .AsAIAgent(tools: [Agents.Search()])
            .AsBuilder()
            .UseAgentBill(bill);

        var ex = Assert.Throws<InvalidOperationException>(() => agent.Build());

        Assert.Contains("outside UseFunctionInvocation()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chat_client_with_its_own_ungated_tool_loop_fails_the_build()
    {
        using var bill = Bills.Create();
        var agent = new ToolCallingModel(toolRounds: 1).AsBuilder()
            .UseFunctionInvocation()
            .Build()
            .AsAIAgent(tools: [Agents.Search()])
            .AsBuilder()
            .UseAgentBill(bill);

        var ex = Assert.Throws<InvalidOperationException>(() => agent.Build());

        Assert.Contains("runs its own tool loop", ex.Message, StringComparison.Ordinal);
    }
}
