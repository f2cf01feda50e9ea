using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Telemetry;

/// <summary>The gate's cost and decision on the GenAI span, beside its token usage, or on a span of its own.</summary>
public sealed class ModelCallTracingTests
{
    // 180 × $0.15/M + 300 × $0.60/M on gpt-4o-mini.
    private static readonly UsageDetails Usage = new() { InputTokenCount = 180, OutputTokenCount = 300, TotalTokenCount = 480 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inside_UseOpenTelemetry_the_cost_is_written_on_the_genai_span_beside_its_token_usage(bool streaming)
    {
        using var traced = new TracedActivities();
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var client = new ChatClientBuilder(ScriptedChatClient.Answering("Paris.", Usage))
            .UseOpenTelemetry()
            .UseAgentBill(bill)
            .Build();

        await client.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), streaming);

        var span = Assert.Single(traced.Stopped("chat gpt-4o-mini"));
        Assert.Equal(180, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(0.000207, span.GetTagItem("gen_ai.usage.cost.amount"));
        Assert.Equal("USD", span.GetTagItem("gen_ai.usage.cost.currency"));
        Assert.Equal("local", span.GetTagItem("gen_ai.usage.cost.source"));
        Assert.Equal(207L, span.GetTagItem("agentbill.charged_units"));
        Assert.Equal(false, span.GetTagItem("agentbill.usage_estimated"));
        var decision = Assert.Single(span.Events);
        Assert.Equal(("agentbill.decision", "approved", 242L), (decision.Name, Tag(decision, "agentbill.decision"), Tag(decision, "agentbill.estimated_units")));
        Assert.Empty(traced.Stopped("agentbill.model_call"));
    }

    [Fact]
    public async Task Without_a_genai_span_the_gate_traces_the_call_on_a_span_of_its_own()
    {
        using var traced = new TracedActivities();
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", Usage), bill);

        await gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400));

        var span = Assert.Single(traced.Stopped("agentbill.model_call"));
        Assert.Equal(ActivitySource.Name, span.Source.Name);
        Assert.Equal(("chat", "chat", "gpt-4o-mini"), (span.GetTagItem("agentbill.operation"), span.GetTagItem("agentbill.agent_id"), span.GetTagItem("gen_ai.request.model")));
        Assert.Equal(0.000207, span.GetTagItem("gen_ai.usage.cost.amount"));
        Assert.Equal((180L, 300L), (span.GetTagItem("agentbill.usage.input_tokens"), span.GetTagItem("agentbill.usage.output_tokens")));
        Assert.Equal("approved", Tag(Assert.Single(span.Events), "agentbill.decision"));

        // The store's own spans run inside it.
        Assert.All(traced.Stopped("agentbill.preflight").Concat(traced.Stopped("agentbill.record")), child => Assert.Equal(span.SpanId, child.ParentSpanId));
    }

    [Fact]
    public async Task A_refusal_is_a_decision_event_with_its_reason()
    {
        using var traced = new TracedActivities();
        await using var bill = await TestBills.WithBudgetAsync("alice", 10);
        using var client = new ChatClientBuilder(ScriptedChatClient.Answering("Paris.", Usage))
            .UseOpenTelemetry()
            .UseAgentBill(bill)
            .Build();

        await Assert.ThrowsAsync<BudgetExhaustedException>(() => client.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400)));

        var decision = Assert.Single(Assert.Single(traced.Stopped("chat gpt-4o-mini")).Events);
        Assert.Equal(
            ("refused", "BudgetExhausted", "Permanent", 242L),
            (Tag(decision, "agentbill.decision"), Tag(decision, "agentbill.refusal.reason"), Tag(decision, "agentbill.refusal.persistence"), Tag(decision, "agentbill.estimated_units")));
    }

    [Fact]
    public async Task An_unknown_model_is_a_refusal_event_on_the_gates_own_span()
    {
        using var traced = new TracedActivities();
        await using var bill = TestBills.Create();
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", Usage, defaultModelId: "llama-3.1-70b"), bill);

        await Assert.ThrowsAsync<AgentBill.Pricing.UnknownModelException>(() => gate.GetResponseAsync("Hello, world!", Gates.For("alice")));

        var decision = Assert.Single(Assert.Single(traced.Stopped("agentbill.model_call")).Events);
        Assert.Equal(("refused", "UnknownModel"), (Tag(decision, "agentbill.decision"), Tag(decision, "agentbill.refusal.reason")));
    }

    [Fact]
    public async Task An_estimated_usage_is_flagged_on_the_span_with_its_issue()
    {
        using var traced = new TracedActivities();
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", new UsageDetails { InputTokenCount = 0, OutputTokenCount = 0, TotalTokenCount = 0 }), bill);

        await gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400));

        var span = Assert.Single(traced.Stopped("agentbill.model_call"));
        Assert.Equal((true, "zero", 242L), (span.GetTagItem("agentbill.usage_estimated"), span.GetTagItem("agentbill.usage_issue"), span.GetTagItem("agentbill.charged_units")));
    }

    [Fact]
    public async Task A_genai_span_around_a_tool_loop_adds_up_the_cost_of_every_round_trip()
    {
        using var traced = new TracedActivities();
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var tool = AIFunctionFactory.Create(() => "sunny", "weather");
        var model = new ScriptedChatClient((messages, _) => messages[^1].Contents.OfType<FunctionResultContent>().Any()
            ? new ChatResponse(new ChatMessage(ChatRole.Assistant, "It is sunny.")) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50 } }
            : new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "weather")])) { Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 50 } });
        using var client = new ChatClientBuilder(model)
            .UseOpenTelemetry()
            .UseFunctionInvocation()
            .UseAgentBill(bill)
            .Build();
        var options = Gates.For("alice", maxOutputTokens: 100);
        options.Tools = [tool];

        await client.GetResponseAsync("What is the weather?", options);

        // Two round-trips of 100 × $0.15/M + 50 × $0.60/M = 45 micro-USD each.
        var span = Assert.Single(traced.Stopped("chat gpt-4o-mini"));
        Assert.Equal(90, await bill.UsedAsync("alice"));
        Assert.Equal((90L, 0.00009), (span.GetTagItem("agentbill.charged_units"), span.GetTagItem("gen_ai.usage.cost.amount")));
        Assert.Equal(2, span.Events.Count(e => e.Name == "agentbill.decision"));
    }

    private static object? Tag(ActivityEvent activityEvent, string key) => activityEvent.Tags.FirstOrDefault(t => t.Key == key).Value;

    private static class ActivitySource
    {
        public const string Name = AgentBillDiagnostics.Name;
    }
}
