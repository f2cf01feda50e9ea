using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AgentBill.Extensions.AI.Tests.Chat;

public sealed class ChatGateSettleTests
{
    [Fact]
    public async Task The_reported_usage_is_charged_at_the_models_price()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var inner = ScriptedChatClient.Replying("Paris.", inputTokens: 1_000, outputTokens: 200);
        using var gate = Gates.Chat(inner, bill);

        var response = await gate.GetResponseAsync("What is the capital of France?", Gates.For("alice"));

        // gpt-4o-mini: 1,000 × $0.15/M + 200 × $0.60/M = 150 + 120 micro-USD.
        Assert.Equal("Paris.", response.Text);
        Assert.Equal(270, await bill.UsedAsync("alice"));
        Assert.Equal(0, await bill.ReservedAsync("alice"));
        Assert.Equal(270L, response.AdditionalProperties![AgentBillPropertyNames.ChargedUnits]);
        Assert.Equal(UsageMeter.MicroUsd, response.AdditionalProperties[AgentBillPropertyNames.Meter]);
        Assert.Equal(false, response.AdditionalProperties[AgentBillPropertyNames.UsageEstimated]);
        Assert.Equal(false, response.AdditionalProperties[AgentBillPropertyNames.RecordFailed]);
    }

    [Fact]
    public async Task Cached_input_tokens_are_charged_at_the_cached_price()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var inner = new ScriptedChatClient((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))
        {
            Usage = new UsageDetails { InputTokenCount = 1_000, CachedInputTokenCount = 400, OutputTokenCount = 1 },
        });
        using var gate = Gates.Chat(inner, bill);

        await gate.GetResponseAsync("Hi", Gates.For("alice"));

        // 600 × $0.15/M + 400 × $0.075/M + 1 × $0.60/M = 90 + 30 + 0.6, rounded up.
        Assert.Equal(121, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task The_model_the_provider_reports_prices_the_usage()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var inner = ScriptedChatClient.Replying("ok", inputTokens: 1_000, outputTokens: 200, modelId: "gpt-4o-2024-08-06");
        using var gate = Gates.Chat(inner, bill);

        await gate.GetResponseAsync("Hi", Gates.For("alice"));

        // Asked for the default gpt-4o-mini, answered by gpt-4o: 1,000 × $2.50/M + 200 × $10/M.
        Assert.Equal(4_500, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task The_tokens_meter_charges_input_plus_output_tokens()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 10_000, UsageMeter.Tokens);
        var inner = ScriptedChatClient.Replying("ok", inputTokens: 100, outputTokens: 50);
        using var gate = Gates.Chat(inner, bill, o => o.Meter = UsageMeter.Tokens);

        await gate.GetResponseAsync("Hi", Gates.For("alice"));

        Assert.Equal(150, await bill.UsedAsync("alice", UsageMeter.Tokens));
    }

    [Fact]
    public async Task Missing_usage_charges_the_estimate_and_flags_it()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var meters = Gates.MeterFactory();
        using var estimated = new MetricCollector<long>(meters, AgentBillDiagnostics.Name, "agentbill.model_calls.usage_estimated");
        var inner = ScriptedChatClient.Replying("ok", inputTokens: null, outputTokens: null);
        using var gate = Gates.Chat(inner, bill, meterFactory: meters);

        var response = await gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100));

        // Estimate: 4 text + 4 framing + 3 reply = 11 input tokens, 100 output: 1.65 + 60 = 61.65, rounded up.
        Assert.Equal(62, await bill.UsedAsync("alice"));
        Assert.Equal(true, response.AdditionalProperties![AgentBillPropertyNames.UsageEstimated]);
        Assert.Equal(62L, response.AdditionalProperties[AgentBillPropertyNames.ChargedUnits]);
        Assert.Equal(1, estimated.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task Partial_usage_takes_the_missing_side_from_the_estimate_and_flags_it()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var inner = ScriptedChatClient.Replying("ok", inputTokens: 1_000, outputTokens: null);
        using var gate = Gates.Chat(inner, bill);

        var response = await gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 100));

        // 1,000 reported input × $0.15/M + 100 estimated output × $0.60/M.
        Assert.Equal(210, await bill.UsedAsync("alice"));
        Assert.Equal(true, response.AdditionalProperties![AgentBillPropertyNames.UsageEstimated]);
    }

    [Fact]
    public async Task A_failing_model_call_releases_its_hold_and_charges_nothing()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var inner = new ScriptedChatClient((_, _) => throw new HttpRequestException("The provider is down."));
        using var gate = Gates.Chat(inner, bill);

        await Assert.ThrowsAsync<HttpRequestException>(() => gate.GetResponseAsync("Hi", Gates.For("alice")));

        Assert.Equal(0, await bill.UsedAsync("alice"));
        Assert.Equal(0, await bill.ReservedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
    }

    [Fact]
    public async Task An_unknown_model_with_a_fallback_price_is_charged_the_fallback()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var inner = ScriptedChatClient.Replying("ok", inputTokens: 100, outputTokens: 50, defaultModelId: "llama-3.1-70b");
        using var gate = Gates.Chat(inner, bill, o => o.Pricing.FallbackPrice = new AgentBill.Pricing.ModelPrice(1_000_000, 1_000_000, 2_000_000));

        await gate.GetResponseAsync("Hi", Gates.For("alice", maxOutputTokens: 50));

        Assert.Equal(200, await bill.UsedAsync("alice"));
    }

    [Fact]
    public async Task A_custom_price_overrides_the_table_when_settling()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        var inner = ScriptedChatClient.Replying("ok", inputTokens: 1_000, outputTokens: 1_000);
        using var gate = Gates.Chat(inner, bill, o => o.Pricing.CustomPrices["gpt-4o-mini"] = new AgentBill.Pricing.ModelPrice(100_000, 50_000, 400_000));

        await gate.GetResponseAsync("Hi", Gates.For("alice", maxOutputTokens: 1_000));

        Assert.Equal(500, await bill.UsedAsync("alice"));
    }
}
