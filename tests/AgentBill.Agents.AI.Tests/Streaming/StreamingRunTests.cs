using AgentBill.Extensions.AI;
using Microsoft.Agents.AI;

namespace AgentBill.Agents.AI.Tests.Streaming;

public sealed class StreamingRunTests
{
    [Fact]
    public async Task A_streaming_run_settles_every_round_trip_and_ends_with_its_usage()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 2), bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        var updates = await Collect(agent.RunStreamingAsync("Research it."));

        var usage = AgentRunUsage.From(updates[^1].AdditionalProperties)!;
        Assert.Equal(3, usage.ModelCalls);
        Assert.Equal(3 * Agents.RoundTrip, usage.Tokens);
        Assert.False(usage.IsEstimated);
        Assert.Equal("Done.", updates.ToAgentResponse().Text);
        Assert.Equal(3 * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task A_streaming_run_abandoned_midway_settles_the_round_trip_in_flight_at_its_estimate()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 10_000);
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 2), bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        await using (var updates = agent.RunStreamingAsync("Research it.").GetAsyncEnumerator())
        {
            Assert.True(await updates.MoveNextAsync());
        }

        // The first update arrived before its usage did: the hold is charged at its estimate, never at zero.
        Assert.Equal(Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task A_streaming_run_stopped_mid_tool_loop_throws_after_settling_what_it_made()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 700);
        var model = new ToolCallingModel(toolRounds: 10);
        var agent = Agents.Ungated(model, bill, o => o.CustomerIdSelector = (_, _, _) => "acme");

        var ex = await Assert.ThrowsAsync<AgentRunRefusedException>(() => Collect(agent.RunStreamingAsync("Research it.")));

        Assert.Equal(4, model.Calls);
        Assert.Equal(4, ex.Usage.ModelCalls);
        Assert.Equal(4 * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.ReservedAsync("acme"));
    }

    [Fact]
    public async Task In_answer_mode_a_stopped_streaming_run_ends_with_the_refusal_then_its_usage()
    {
        await using var bill = await Bills.WithBudgetAsync("acme", 700);
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 10), bill, o =>
        {
            o.CustomerIdSelector = (_, _, _) => "acme";
            o.RefusalMode = AgentBillRefusalMode.ReturnResponse;
        });

        var updates = await Collect(agent.RunStreamingAsync("Research it."));

        Assert.Equal(AgentBillChatFinishReasons.BudgetRefused, updates[^2].FinishReason);
        Assert.IsType<PreflightResult>(updates[^2].AdditionalProperties![AgentBillPropertyNames.Refusal]);
        Assert.Equal(4, AgentRunUsage.From(updates[^1].AdditionalProperties)!.ModelCalls);
        Assert.Equal(4 * Agents.RoundTrip, await bill.UsedAsync("acme"));
    }

    [Fact]
    public async Task A_streaming_run_keeps_charging_its_customer_when_read_after_the_callers_context_ended()
    {
        await using var bill = Bills.Create();
        var agent = Agents.Ungated(new ToolCallingModel(toolRounds: 2), bill);
        var updates = agent.RunStreamingAsync("Research it.").GetAsyncEnumerator();
        using (AgentBillContext.Begin(customerId: "acme"))
        {
            Assert.True(await updates.MoveNextAsync());
        }

        using (AgentBillContext.Begin(customerId: "globex"))
        {
            while (await updates.MoveNextAsync())
            {
            }
        }

        await updates.DisposeAsync();
        Assert.Equal(3 * Agents.RoundTrip, await bill.UsedAsync("acme"));
        Assert.Equal(0, await bill.UsedAsync("globex"));
    }

    private static async Task<List<AgentResponseUpdate>> Collect(IAsyncEnumerable<AgentResponseUpdate> updates)
    {
        var all = new List<AgentResponseUpdate>();
        await foreach (var update in updates)
        {
            all.Add(update);
        }

        return all;
    }
}
