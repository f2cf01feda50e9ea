using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.ToolLoop;

public sealed class ToolLoopTests
{
    // Every round-trip is estimated at 100 prompt + 50 output tokens and reports exactly that: 150 tokens a call.
    // A 1,000-token budget holds six calls (900 tokens); the seventh's 150 do not fit in the 100 left.
    private const long Budget = 1_000;
    private const int RoundTripsThatFit = 6;

    [Fact]
    public async Task A_runaway_tool_loop_stops_when_the_budget_runs_out()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", Budget, UsageMeter.Tokens);
        var (inner, tool, invocations) = RunawayModel();
        using var client = Pipeline(inner, bill, AgentBillRefusalMode.Throw);

        var ex = await Assert.ThrowsAsync<BudgetExhaustedException>(() => client.GetResponseAsync("Look it up.", Options(tool)));

        Assert.Equal(RoundTripsThatFit, inner.Calls);
        Assert.Equal(RoundTripsThatFit, invocations());
        Assert.Equal(RoundTripsThatFit * 150, await bill.UsedAsync("alice", UsageMeter.Tokens));
        Assert.Equal(100, ex.Result!.RemainingUnits);
    }

    [Fact]
    public async Task In_response_mode_a_runaway_tool_loop_ends_gracefully_with_the_refusal()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", Budget, UsageMeter.Tokens);
        var (inner, tool, invocations) = RunawayModel();
        using var client = Pipeline(inner, bill, AgentBillRefusalMode.ReturnResponse);

        var response = await client.GetResponseAsync("Look it up.", Options(tool));

        Assert.Equal(AgentBillChatFinishReasons.BudgetRefused, response.FinishReason);
        Assert.Equal(RoundTripsThatFit, inner.Calls);
        Assert.Equal(RoundTripsThatFit, invocations());
        Assert.Equal(RoundTripsThatFit * 150, await bill.UsedAsync("alice", UsageMeter.Tokens));
    }

    [Fact]
    public async Task A_streaming_tool_loop_stops_when_the_budget_runs_out()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", Budget, UsageMeter.Tokens);
        var (inner, tool, invocations) = RunawayModel();
        using var client = Pipeline(inner, bill, AgentBillRefusalMode.Throw);

        await Assert.ThrowsAsync<BudgetExhaustedException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Look it up.", Options(tool)))
            {
                _ = update;
            }
        });

        Assert.Equal(RoundTripsThatFit, inner.Calls);
        Assert.Equal(RoundTripsThatFit, invocations());
        Assert.Equal(RoundTripsThatFit * 150, await bill.UsedAsync("alice", UsageMeter.Tokens));
    }

    /// <summary>A model that answers every prompt with another call of the same tool, and the tool it calls.</summary>
    private static (ScriptedChatClient Model, AIFunction Tool, Func<int> Invocations) RunawayModel()
    {
        var invocations = 0;
        var tool = AIFunctionFactory.Create(() => ++invocations, "search", "Searches the web.");
        var round = 0;
        ChatResponse AskForTool() => new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent($"call_{++round}", "search")]))
        {
            Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50 },
        };

        var model = new ScriptedChatClient(
            (_, _) => AskForTool(),
            (_, _, ct) => ScriptedChatClient.Stream([new ChatResponseUpdate(ChatRole.Assistant, [.. AskForTool().Messages[0].Contents, new UsageContent(new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50 })])], ct));
        return (model, tool, () => invocations);
    }

    private static IChatClient Pipeline(IChatClient model, IAgentBill bill, AgentBillRefusalMode mode)
        => new ChatClientBuilder(model)
            .UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 100)
            .UseAgentBill(bill, o =>
            {
                o.Meter = UsageMeter.Tokens;
                o.Estimator = new FixedEstimator(100);
                o.RefusalMode = mode;
            })
            .Build();

    private static ChatOptions Options(AIFunction tool)
    {
        var options = Gates.For("alice", maxOutputTokens: 50);
        options.Tools = [tool];
        return options;
    }

    private sealed class FixedEstimator(long tokens) : ITokenEstimator
    {
        public long EstimatePromptTokens(IReadOnlyList<ChatMessage> messages, ChatOptions? options, string? modelId) => tokens;

        public long EstimateEmbeddingTokens(IReadOnlyList<string> values, string? modelId) => tokens;
    }
}
