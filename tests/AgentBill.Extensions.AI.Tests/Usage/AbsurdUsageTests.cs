using AgentBill.Pricing;
using Microsoft.Extensions.AI;

namespace AgentBill.Extensions.AI.Tests.Usage;

/// <summary>A usage no call can have never costs the caller the response, and never leaves the hold open.</summary>
public sealed class AbsurdUsageTests
{
    private static readonly UsageDetails TwoQuadrillionOutputTokens = new() { InputTokenCount = 100, OutputTokenCount = 2_000_000_000_000_000 };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_usage_priced_above_the_cap_is_charged_the_cap_and_the_response_returned(bool streaming)
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000_000_000);
        var usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 900_000_000_000_000 };
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", usage), bill, o => o.MaxChargedUnits = 50_000);

        var response = await gate.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), streaming);

        Assert.Equal("Paris.", response.Text);
        Assert.Equal(50_000, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal(true, response.AdditionalProperties![AgentBillPropertyNames.UsageEstimated]);
        Assert.Equal(ModelUsageIssue.Absurd, response.AdditionalProperties[AgentBillPropertyNames.UsageIssue]);
        Assert.Equal(false, response.AdditionalProperties[AgentBillPropertyNames.RecordFailed]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_absurd_count_is_read_as_the_most_the_calls_options_allow(bool streaming)
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", TwoQuadrillionOutputTokens), bill);

        var response = await gate.AskAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400), streaming);

        // The reported 100 input tokens, and the 400 output tokens the call allowed: 15 + 240.
        Assert.Equal(255, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal(ModelUsageIssue.Absurd, response.AdditionalProperties![AgentBillPropertyNames.UsageIssue]);
    }

    [Fact]
    public async Task An_absurd_count_counts_the_most_the_calls_options_allow_on_the_tokens_meter()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000, UsageMeter.Tokens);
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", TwoQuadrillionOutputTokens), bill, o => o.Meter = UsageMeter.Tokens);

        var response = await gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400));

        Assert.Equal(500, await bill.UsedAsync("alice", UsageMeter.Tokens));
        Assert.Equal(ModelUsageIssue.Absurd, response.AdditionalProperties![AgentBillPropertyNames.UsageIssue]);
    }

    [Fact]
    public async Task A_cost_too_large_for_64_bits_is_charged_at_the_cap()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000_000_000);
        var usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 1_000_000_000_000_000 };
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", usage), bill, o =>
        {
            o.Pricing.CustomPrices["gpt-4o-mini"] = new ModelPrice(150_000, 75_000, 1_000_000_000_000_000);
            o.MaxChargedUnits = 9_000_000;
        });

        var response = await gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 1));

        Assert.Equal(9_000_000, await bill.UsedAsync("alice"));
        Assert.Equal(ModelUsageIssue.Absurd, response.AdditionalProperties![AgentBillPropertyNames.UsageIssue]);
    }

    [Fact]
    public async Task A_usage_that_cannot_be_read_is_charged_the_hold_and_the_response_returned()
    {
        await using var bill = await TestBills.WithBudgetAsync("alice", 1_000_000);
        using var gate = Gates.Chat(ScriptedChatClient.Answering("Paris.", null), bill, o => o.Estimator = new FailingOutputEstimator());

        var response = await gate.GetResponseAsync("Hello, world!", Gates.For("alice", maxOutputTokens: 400));

        // The hold: 11 × $0.15/M + 400 × $0.60/M, rounded up.
        Assert.Equal("Paris.", response.Text);
        Assert.Equal(242, await bill.UsedAsync("alice"));
        Assert.Empty(await bill.GetOpenHoldsAsync("alice"));
        Assert.Equal(ModelUsageIssue.Absurd, response.AdditionalProperties![AgentBillPropertyNames.UsageIssue]);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1_000_000_000_000_001L)]
    public void A_cap_that_cannot_hold_a_charge_is_refused_by_name(long cap)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Gates.Chat(ScriptedChatClient.Answering("ok", null), TestBills.Create(), o => o.MaxChargedUnits = cap));

        Assert.Equal(nameof(AgentBillGateOptions.MaxChargedUnits), ex.ParamName);
    }

    /// <summary>An estimator whose output count fails, as a custom one may.</summary>
    private sealed class FailingOutputEstimator : ITokenEstimator
    {
        public long EstimatePromptTokens(IReadOnlyList<ChatMessage> messages, ChatOptions? options, string? modelId)
            => TokenizerTokenEstimator.Shared.EstimatePromptTokens(messages, options, modelId);

        public long EstimateEmbeddingTokens(IReadOnlyList<string> values, string? modelId)
            => TokenizerTokenEstimator.Shared.EstimateEmbeddingTokens(values, modelId);

        public long EstimateOutputTokens(IReadOnlyList<ChatMessage> messages, string? modelId)
            => throw new InvalidOperationException("The tokenizer is broken.");
    }
}
